import Foundation
@testable import Kernel
import TestSupport
import Testing

/// `sbpl kernel install` / `uninstall`: the kernelspec is where Jupyter looks, and a front end starts sbpl from it.
@Suite(.serialized)
struct KernelSpecTests {
    @Test func installForTheUserIsFoundAndStartedByJupyterThenUninstalled() async throws {
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let binary = try SbplBinary.url()
        let printed = try await ChildProcess.run(binary, ["kernel", "install", "--user", "--name", "sbpl-test",
                                                                     "--display-name", "sbpl test"],
                                                       environment: ["JUPYTER_DATA_DIR": data.path])
        let folder = data.appendingPathComponent("kernels/sbpl-test")
        #expect(printed.out == "Installed kernelspec sbpl-test in \(folder.path)\n")
        #expect(printed.status == 0)
        let spec = try JSONDecoder().decode(KernelSpec.self, from: Data(contentsOf: folder.appendingPathComponent("kernel.json")))
        #expect(spec.argv == [binary.resolvingSymlinksInPath().path, "kernel", "-f", "{connection_file}"])
        #expect(spec.displayName == "sbpl test")
        #expect(spec.language == "python")

        let r = try await KernelClientScript.runInstalled("sbpl-test", dataDirectory: data)
        let found = try #require(r["spec"] as? [String: Any])
        #expect(found["resource_dir"] as? String == folder.path)
        let cell = try #require(r["cell"] as? [String: Any])
        #expect(cell["stdout"] as? String == "from the kernelspec\n")
        #expect(cell["result"] as? String == "42")
        #expect(r["alive_after_shutdown"] as? Bool == false)

        let removed = try await ChildProcess.run(binary, ["kernel", "uninstall", "sbpl-test", "--user"],
                                                       environment: ["JUPYTER_DATA_DIR": data.path])
        #expect(removed.out == "Removed kernelspec sbpl-test from \(folder.path)\n")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        let again = try await ChildProcess.run(binary, ["kernel", "uninstall", "sbpl-test", "--user"],
                                                     environment: ["JUPYTER_DATA_DIR": data.path])
        #expect(again.err == "sbpl: no kernelspec 'sbpl-test' in \(data.path)/kernels\n")
        #expect(again.status == 1)
    }

    @Test func nbclientRunsACourseShapedNotebookOnTheInstalledKernel() async throws {
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let install = try await ChildProcess.run(try SbplBinary.url(), ["kernel", "install", "--user", "--name", "sbpl-nb"],
                                                       environment: ["JUPYTER_DATA_DIR": data.path])
        #expect(install.status == 0)
        let notebook = KernelClientScript.script.deletingLastPathComponent().appendingPathComponent("notebooks/course_shaped.ipynb")
        let r = try await KernelClientScript.runNotebook(notebook, kernel: "sbpl-nb", dataDirectory: data)
        let cells = try #require(r["cells"] as? [[String: Any]])
        try #require(cells.count == 5)
        func outputs(_ index: Int) -> [[String: String]] { cells[index]["outputs"] as? [[String: String]] ?? [] }
        #expect(cells.map { $0["execution_count"] as? Int } == [1, 2, 3, 4, 5])
        #expect(outputs(0) == [["output_type": "stream", "name": "stdout",
                                "text": "sbpl: datasets, evaluate, transformers are built in; nothing to install\n"]])
        #expect(outputs(1) == [["output_type": "stream", "name": "stdout", "text": "4 words\n"],
                               ["output_type": "execute_result", "text/plain": "'I LOVE THIS COURSE'", "execution_count": "2"]])
        #expect(outputs(2) == [["output_type": "execute_result", "text/plain": "30", "execution_count": "3"]])
        #expect(outputs(3) == [["output_type": "stream", "name": "stdout", "text": "before the error\n"],
                               ["output_type": "error", "ename": "IndexError", "evalue": "list index out of range"]])
        #expect(outputs(4) == [["output_type": "stream", "name": "stdout", "text": "after the error\n"]])
    }

    @Test func locationsAreJupytersDataFolders() {
        let home = ["HOME": "/home/u"]
        #expect(KernelSpecLocation.user.kernelsDirectory(environment: home).path == "/home/u/.local/share/jupyter/kernels")
        #expect(KernelSpecLocation.user.kernelsDirectory(environment: home.merging(["XDG_DATA_HOME": "/x"]) { $1 }).path
                == "/x/jupyter/kernels")
        #expect(KernelSpecLocation.user.kernelsDirectory(environment: home.merging(["JUPYTER_DATA_DIR": "/j"]) { $1 }).path
                == "/j/kernels")
        #expect(KernelSpecLocation.prefix("/venv").kernelsDirectory(environment: home).path == "/venv/share/jupyter/kernels")
        #expect(KernelSpecLocation.system.kernelsDirectory(environment: home).path == "/usr/local/share/jupyter/kernels")
    }

    @Test func aNameJupyterWouldRefuseIsAnError() throws {
        let prefix = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: prefix) }
        #expect(throws: KernelSpecError.invalidName("a b")) {
            try KernelSpec(executable: "/bin/sbpl", displayName: "x").install(as: "a b", in: .prefix(prefix.path))
        }
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-kernelspec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
