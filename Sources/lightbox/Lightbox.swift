import ArgumentParser

/// The `lightbox` command: a thin layer of subcommands over the Lightbox modules.
@main
struct Lightbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightbox",
        abstract: "A terminal radiology reading workstation.",
        discussion: """
            Models, Themes and SampleStudies are found the same way by every command, the first that exists: \
            the command's option (--models, …); $LIGHTBOX_HOME/NAME; $XDG_DATA_HOME/lightbox/NAME (default \
            ~/.local/share/lightbox/NAME); beside the binary, ../share/lightbox/NAME (`make install PREFIX=/usr/local` \
            puts them in /usr/local/share/lightbox); the checkout the binary was built in; the current folder. \
            `lightbox doctor` shows what was found where, and what is missing.
            """,
        version: "0.1.0",
        subcommands: LightboxSubcommands.all,
        defaultSubcommand: OpenCommand.self
    )
}
