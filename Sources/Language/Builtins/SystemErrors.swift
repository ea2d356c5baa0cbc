import PythonText
import Foundation

extension PyError {
    /// The OSError CPython raises when a system call on `path` fails with `code`, of the subclass its errno names:
    /// `FileNotFoundError: [Errno 2] No such file or directory: 'p'`.
    static func system(_ code: Int32, path: String) -> PyError {
        let kind: ExceptionKind = switch code {
        case ENOENT: .fileNotFoundError
        case EEXIST: .fileExistsError
        case EISDIR: .isADirectoryError
        case EACCES, EPERM: .permissionError
        default: .osError
        }
        return PyError(kind, "[Errno \(code)] \(String(cString: strerror(code))): '\(path)'")
    }

    /// The error of a FileManager operation on `path`, as CPython's would read: FileNotFoundError when `path` is
    /// missing, else an OSError with the system's reason.
    static func fileOperation(_ error: any Error, path: String) -> PyError {
        guard FileManager.default.fileExists(atPath: path) else { return system(ENOENT, path: path) }
        let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
        return code.map { system(Int32($0), path: path) } ?? PyError(.osError, "\(error.localizedDescription): '\(path)'")
    }
}
