import ArgumentParser
import Foundation
import Kernel

/// `sbpl kernel`: sbpl in Jupyter. `sbpl kernel -f CONNECTION_FILE` is the kernel process (what a kernelspec's
/// argv starts, as `python -m ipykernel_launcher -f {connection_file}`); `sbpl kernel install` writes that
/// kernelspec and `sbpl kernel uninstall` removes it.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "sbpl as a Jupyter kernel (`sbpl kernel -f CONNECTION_FILE`, `sbpl kernel install`)",
        subcommands: [KernelServeCommand.self, KernelInstallCommand.self, KernelUninstallCommand.self],
        defaultSubcommand: KernelServeCommand.self,
        helpNames: [.short, .long])
}

/// `sbpl kernel [serve] -f CONNECTION_FILE`: serves a Jupyter front end until it asks the kernel to shut down.
struct KernelServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "serve a Jupyter front end on the sockets of its connection file",
        helpNames: [.short, .long])

    @Option(name: .customShort("f"), help: "The connection file the front end wrote (ports, key).")
    var connectionFile: String

    func run() throws {
        try CommandFailure.reporting { try Kernel(connection: ConnectionInfo.read(connectionFile)).run() }
    }
}

/// `sbpl kernel install [--user | --prefix DIR] [--name NAME] [--display-name TEXT]`, as
/// `python -m ipykernel install`: writes `kernel.json` where `jupyter kernelspec list` finds it.
struct KernelInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "write the kernelspec that starts this sbpl (like `python -m ipykernel install`)",
        helpNames: [.short, .long])

    @OptionGroup var location: KernelSpecLocationOptions

    @Option(help: "The kernelspec's name.")
    var name = "sbpl"

    @Option(help: "The name front ends show.")
    var displayName = "sbpl (Python)"

    func run() throws {
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let folder = try CommandFailure.reporting {
            try KernelSpec(executable: executable.path, displayName: displayName).install(as: name, in: location.location)
        }
        print("Installed kernelspec \(name) in \(folder.path)")
    }
}

/// `sbpl kernel uninstall [NAME] [--user | --prefix DIR]`: removes a kernelspec `sbpl kernel install` wrote.
struct KernelUninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "remove the kernelspec `sbpl kernel install` wrote",
        helpNames: [.short, .long])

    @Argument(help: "The kernelspec's name.")
    var name = "sbpl"

    @OptionGroup var location: KernelSpecLocationOptions

    func run() throws {
        print("Removed kernelspec \(name) from \(try CommandFailure.reporting { try location.location.uninstall(name) }.path)")
    }
}

/// Where `install` and `uninstall` look: `--user`, `--prefix DIR`, or the system's Jupyter folder.
struct KernelSpecLocationOptions: ParsableArguments {
    @Flag(help: "The user's kernelspecs ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter).")
    var user = false

    @Option(help: ArgumentHelp("The kernelspecs of DIR/share/jupyter (a venv's or conda environment's prefix).", valueName: "DIR"))
    var prefix: String?

    func validate() throws {
        if user && prefix != nil { throw ValidationError("--user and --prefix cannot be given together") }
    }

    var location: KernelSpecLocation { user ? .user : prefix.map { .prefix($0) } ?? .system }
}
