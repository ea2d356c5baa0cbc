import Foundation
import Hub

/// The files the shell runs as it starts, as IPython runs its profile's startup files:
/// `$XDG_CONFIG_HOME/sbpl/startup.sbpl` (else `~/.config/sbpl/startup.sbpl`), then `~/.sbplrc` (`~` is `$HOME`
/// first, as Python reads it), each when it exists.
public enum StartupFiles {
    /// The startup files that exist, in the order they run.
    public static func paths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let home = UserHome.directory(environment: environment)
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return [config + "/sbpl/startup.sbpl", home + "/.sbplrc"].filter { FileManager.default.isReadableFile(atPath: $0) }
    }
}
