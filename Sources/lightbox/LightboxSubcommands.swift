import ArgumentParser

/// Every subcommand, in the order `--help` lists them: reading first, then AI, then tools.
enum LightboxSubcommands {
    static let all: [ParsableCommand.Type] = [
        OpenCommand.self,
        ListCommand.self,
        InfoCommand.self,
        RenderCommand.self,
        ExportPNGCommand.self,
        AnalyzeCommand.self,
        ValidateCommand.self,
        ModelsCommand.self,
        OnnxCommand.self,
        ReviewCommand.self,
        TeachCommand.self,
        ListenCommand.self,
        PullCommand.self,
        StowCommand.self,
        DoctorCommand.self,
    ]
}
