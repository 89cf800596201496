import ArgumentParser

/// The `lightbox` command: a thin layer of subcommands over the Lightbox modules.
@main
struct Lightbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightbox",
        abstract: "A terminal radiology reading workstation.",
        discussion: """
            Models, Themes and SampleStudies are found the same way by every command: $LIGHTBOX_HOME/NAME when \
            set; else NAME in the current folder; else beside the executable: NAME or share/lightbox/NAME in its \
            folder or up to four folders above (`make install PREFIX=/usr/local` puts them in \
            /usr/local/share/lightbox). An option such as --models overrides this for one command.
            """,
        version: "0.1.0",
        subcommands: LightboxSubcommands.all,
        defaultSubcommand: OpenCommand.self
    )
}
