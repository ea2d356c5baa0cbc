import ArgumentParser

/// sbpl's command line: swift-argument-parser subcommands, `run` (Python's own command line, the default, so
/// `sbpl FILE ARGS...` and `sbpl -c CODE` work as `python3` does), `download` and `kernel`; a new one is a new
/// `ParsableCommand` file and one line here.
struct SbplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbpl",
        subcommands: [RunCommand.self, DownloadCommand.self, KernelCommand.self],
        defaultSubcommand: RunCommand.self,
        helpNames: [])
}
