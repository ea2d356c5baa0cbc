import Foundation

/// The user's home folder as Python finds it (`os.path.expanduser`): `$HOME` when it is set, else the password
/// entry. (Foundation's `NSHomeDirectory()` reads only the password entry on Linux, so a `HOME` pointed elsewhere,
/// as in a container or a test, would be ignored.) The hub cache, the token file and the shell's history use it.
public enum UserHome {
    /// `$HOME` if set, else the current user's password entry (`/` when there is none).
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["HOME"] ?? passwordEntryHome(getpwuid(getuid())) ?? "/"
    }

    /// `path` with a leading `~` or `~user` replaced by that user's home folder, as `os.path.expanduser`; other
    /// paths, and `~user` for an unknown user, unchanged.
    public static func expand(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path.hasPrefix("~") else { return path }
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        let user = path[path.index(after: path.startIndex)..<slash]
        let home = user.isEmpty ? directory(environment: environment) : passwordEntryHome(getpwnam(String(user)))
        guard let home else { return path }
        let expanded = String(home.reversed().drop { $0 == "/" }.reversed()) + path[slash...]
        return expanded.isEmpty ? "/" : expanded
    }

    private static func passwordEntryHome(_ entry: UnsafeMutablePointer<passwd>?) -> String? {
        entry.flatMap { $0.pointee.pw_dir }.map { String(cString: $0) }
    }
}
