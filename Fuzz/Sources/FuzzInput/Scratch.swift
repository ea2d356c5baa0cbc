import Foundation
import Hub

/// Where a harness writes each input for sbpl's loaders, which read files: a folder of the process's own, under
/// `SBPL_FUZZ_SCRATCH` (scripts/fuzz/libfuzzer.sh points it into .build and removes it afterwards), else the temporary
/// directory.
public enum Scratch {
    /// The folder, made on first use and named after the process (libFuzzer's fork mode runs several).
    public static let folder: URL = {
        let root = ProcessInfo.processInfo.environment["SBPL_FUZZ_SCRATCH"].map(URL.init(fileURLWithPath:))
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-fuzz")
        let url = root.appendingPathComponent("\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The input as the only file of the folder, named `name`, and the folder as a local checkpoint.
    public static func checkpoint(holding data: UnsafePointer<UInt8>, _ size: Int, as name: String) -> Checkpoint {
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        }
        _ = file(holding: data, size, as: name)
        return try! Checkpoint.locate(folder.path, fetching: .offline)
    }

    /// The input written to `name` in the folder.
    public static func file(holding data: UnsafePointer<UInt8>, _ size: Int, as name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes: data, count: size)) else {
            fatalError("cannot write the fuzz input to \(url.path)")
        }
        return url
    }
}
