import ArgumentParser

/// Every subcommand, in the order `--help` lists them. Add new commands here.
enum LightboxSubcommands {
    static let all: [ParsableCommand.Type] = [
        OnnxCommand.self,
        ModelsCommand.self,
        InfoCommand.self,
        ListCommand.self,
        ExportPNGCommand.self,
        OpenCommand.self,
        ReviewCommand.self,
        RenderCommand.self,
        AnalyzeCommand.self,
    ]
}
