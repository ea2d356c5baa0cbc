import CLibFuzzer
import Foundation

/// The entry point of a harness. SwiftPM links a debug executable with its `main` renamed so that tests can import
/// it, which leaves out libFuzzer's own `main`; so each harness has an `@main` that hands its test function to
/// libFuzzer's driver.
public enum Fuzzer {
    /// Runs libFuzzer with the process's arguments on `test` (the harness's `LLVMFuzzerTestOneInput`) and exits
    /// with its status.
    public static func run(_ test: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
