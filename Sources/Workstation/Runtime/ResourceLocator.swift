import Foundation

/// Where every command finds the bundled folders (`Models`, `Themes`, `SampleStudies`), in this
/// order (`lightbox --help` and the README say the same):
///
/// 1. the command's flag (`--models`, …), handled by the caller;
/// 2. `$LIGHTBOX_HOME/NAME`;
/// 3. `$XDG_DATA_HOME/lightbox/NAME` (default `~/.local/share/lightbox/NAME`), a per-user install;
/// 4. beside the binary: `BIN/../share/lightbox/NAME` (what `make install PREFIX=…` lays out);
/// 5. the repository: the checkout the binary was built in (`REPO/.build/<config>/lightbox`), then
///    the working directory.
///
/// The first existing folder wins. `places(for:)` lists every candidate with what it is, so a
/// command that finds nothing can say where it looked, and `lightbox doctor` can show the choice.
public struct ResourceLocator: Sendable {
    public struct Place: Sendable, Equatable {
        /// "LIGHTBOX_HOME", "XDG_DATA_HOME", "beside the binary", "the repository", "the working directory".
        public var origin: String
        public var path: String
    }

    public var environment: [String: String]
    /// The running binary (symlinks resolved), from `CommandLine.arguments[0]`.
    public var executable: URL
    public var workingDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath(),
                workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.environment = environment
        self.executable = executable.path.hasPrefix("/") ? executable
            : URL(fileURLWithPath: workingDirectory).appendingPathComponent(executable.path).standardizedFileURL.resolvingSymlinksInPath()
        self.workingDirectory = workingDirectory
    }

    /// Every place `name` is looked for, in order (duplicates removed).
    public func places(for name: String) -> [Place] {
        var out: [Place] = []
        func add(_ origin: String, _ path: String) {
            let p = (path as NSString).standardizingPath
            if !out.contains(where: { $0.path == p }) { out.append(Place(origin: origin, path: p)) }
        }
        if let home = environment["LIGHTBOX_HOME"], !home.isEmpty { add("LIGHTBOX_HOME", (home as NSString).appendingPathComponent(name)) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        add("XDG_DATA_HOME", ((data as NSString).appendingPathComponent("lightbox") as NSString).appendingPathComponent(name))
        let bin = executable.deletingLastPathComponent()
        add("beside the binary", bin.deletingLastPathComponent().appendingPathComponent("share/lightbox").appendingPathComponent(name).path)
        // A checkout: REPO/.build/<triple>/release/lightbox or REPO/.build/release/lightbox.
        var dir = bin
        for _ in 0 ..< 4 {
            if dir.lastPathComponent == ".build" {
                add("the repository", dir.deletingLastPathComponent().appendingPathComponent(name).path)
                break
            }
            dir = dir.deletingLastPathComponent()
        }
        add("the working directory", (workingDirectory as NSString).appendingPathComponent(name))
        return out
    }

    /// The first place that holds a folder `name`.
    public func locate(_ name: String) -> Place? {
        places(for: name).first { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0.path, isDirectory: &d) && d.boolValue }
    }

    /// "no Models folder: looked in $LIGHTBOX_HOME/…, …" for a command that found none.
    public func notFound(_ name: String, flag: String) -> String {
        "no \(name) folder found (give \(flag), or set LIGHTBOX_HOME); looked in: "
            + places(for: name).map { "\($0.path) (\($0.origin))" }.joined(separator: ", ")
    }
}
