import Foundation
import Hub

/// A kernelspec, the `kernel.json` by which Jupyter front ends find and start a kernel (as
/// `python -m ipykernel install` writes it).
public struct KernelSpec: Codable, Equatable, Sendable {
    /// How a front end interrupts the kernel: SIGINT, or an `interrupt_request` on the control channel.
    public enum InterruptMode: String, Codable, Sendable { case signal, message }

    /// The command that starts the kernel; Jupyter replaces `{connection_file}`.
    public var argv: [String]
    public var displayName: String
    public var language: String
    public var interruptMode: InterruptMode

    enum CodingKeys: String, CodingKey {
        case argv, language
        case displayName = "display_name", interruptMode = "interrupt_mode"
    }

    /// The spec that starts `executable` as `EXECUTABLE kernel -f {connection_file}`.
    public init(executable: String, displayName: String) {
        argv = [executable, "kernel", "-f", "{connection_file}"]
        self.displayName = displayName
        language = "python"
        interruptMode = .message
    }
}

/// Where a kernelspec is installed: the `kernels` folder of one of the places `jupyter kernelspec list` searches.
public enum KernelSpecLocation: Equatable, Sendable {
    /// The user's Jupyter data folder: `$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else
    /// `~/.local/share/jupyter` (`~` as Python reads it, `$HOME` first), as jupyter_core's `jupyter_data_dir`.
    case user
    /// `PREFIX/share/jupyter` (a venv or conda environment's prefix).
    case prefix(String)
    /// The system-wide `/usr/local/share/jupyter`, the default of `jupyter kernelspec install`.
    case system

    /// The `kernels` folder.
    public func kernelsDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let data: String
        switch self {
        case .user:
            if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty {
                data = dir
            } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
                data = xdg + "/jupyter"
            } else {
                data = UserHome.directory(environment: environment) + "/.local/share/jupyter"
            }
        case .prefix(let prefix): data = prefix + "/share/jupyter"
        case .system: data = "/usr/local/share/jupyter"
        }
        return URL(fileURLWithPath: data).appendingPathComponent("kernels")
    }
}

extension KernelSpec {
    /// Writes `NAME/kernel.json` into `location`'s kernels folder (replacing an older one) and returns its folder.
    /// The name must be what Jupyter accepts: letters, digits, `.`, `_` and `-`.
    public func install(as name: String, in location: KernelSpecLocation,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }) else {
            throw KernelSpecError.invalidName(name)
        }
        let folder = location.kernelsDirectory(environment: environment).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(self).write(to: folder.appendingPathComponent("kernel.json"))
        } catch {
            throw KernelSpecError.unwritable(folder.path, "\(error.localizedDescription)")
        }
        return folder
    }
}

extension KernelSpecLocation {
    /// Removes the kernelspec `name` from this location and returns its folder; an error when it is not there.
    public func uninstall(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let folder = kernelsDirectory(environment: environment).appendingPathComponent(name)
        guard !name.isEmpty, !name.contains("/"),
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("kernel.json").path) else {
            throw KernelSpecError.notInstalled(name, kernelsDirectory(environment: environment).path)
        }
        do {
            try FileManager.default.removeItem(at: folder)
        } catch {
            throw KernelSpecError.unwritable(folder.path, "\(error.localizedDescription)")
        }
        return folder
    }
}

/// A kernelspec that cannot be installed or removed.
public enum KernelSpecError: Error, CustomStringConvertible, Equatable {
    case invalidName(String)
    case unwritable(String, String)
    case notInstalled(String, String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "'\(name)' is not a kernel name Jupyter accepts (letters, digits, '.', '_' and '-' only)"
        case .unwritable(let folder, let reason): return "cannot write the kernelspec in \(folder): \(reason)"
        case .notInstalled(let name, let folder): return "no kernelspec '\(name)' in \(folder)"
        }
    }
}
