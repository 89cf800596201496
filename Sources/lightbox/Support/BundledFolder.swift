import ArgumentParser
import Workstation

/// A bundled folder for a command: its option when given, else `ResourceLocator`'s search; when
/// nothing is found the command stops with the places it looked in (exit `code`).
enum BundledFolder {
    static func path(_ name: String, option: String?, flag: String, exitCode code: Int32) throws -> String {
        if let option { return option }
        let locator = ResourceLocator()
        if let place = locator.locate(name) { return place.path }
        Output.error(locator.notFound(name, flag: flag))
        throw ExitCode(code)
    }
}
