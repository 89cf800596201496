import ArgumentParser

/// The `lightbox` command: a thin layer of subcommands over the Lightbox modules.
@main
struct Lightbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightbox",
        abstract: "A terminal radiology reading workstation.",
        version: "0.1.0",
        subcommands: LightboxSubcommands.all,
        defaultSubcommand: OpenCommand.self
    )
}
