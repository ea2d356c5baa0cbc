import ArgumentParser
import Pipelines

/// `sbpl download REPO [--revision REV]`: fetches a checkpoint into the Hugging Face cache and prints its folder,
/// as `huggingface-cli download` does.
struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "fetch a checkpoint into the Hugging Face cache (like `huggingface-cli download`)",
        helpNames: [.short, .long])

    @Argument(help: "The repository, ORG/NAME (e.g. distilbert/distilbert-base-uncased-finetuned-sst-2-english).")
    var repo: String

    @Option(help: "A branch, tag or commit.")
    var revision = "main"

    func run() throws {
        print(try CommandFailure.reporting { try Prefetch.checkpoint(repo, revision: revision).directory.path })
    }
}
