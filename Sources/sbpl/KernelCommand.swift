import ArgumentParser
import Kernel

/// `sbpl kernel -f CONNECTION_FILE`: sbpl as a Jupyter kernel, the process a kernelspec's argv starts (as
/// `python -m ipykernel_launcher -f {connection_file}`).
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "serve a Jupyter front end (`sbpl kernel -f CONNECTION_FILE`)",
        helpNames: [.short, .long])

    @Option(name: .customShort("f"), help: "The connection file the front end wrote (ports, key).")
    var connectionFile: String

    func run() throws {
        do {
            try Kernel(connection: ConnectionInfo.read(connectionFile)).run()
        } catch {
            throw CommandFailure(message: "\(error)", status: 1)
        }
    }
}
