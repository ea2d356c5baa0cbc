import Foundation
import TestSupport
import Testing

/// `sbpl kernel` driven by jupyter_client's `BlockingKernelClient`, as JupyterLab and nbclient drive a kernel:
/// one scenario of `Fixtures/kernel_client.py` per test, each on a fresh kernel.
@Suite(.serialized)
struct KernelProtocolTests {
    @Test func kernelInfoNamesSbplAndPythonHighlighting() async throws {
        let r = try await KernelClientScript.run("kernel_info")
        #expect(r["msg_type"] as? String == "kernel_info_reply")
        #expect(r["version"] as? String == "5.3")
        let content = try #require(r["content"] as? [String: Any])
        #expect(content["protocol_version"] as? String == "5.3")
        #expect(content["implementation"] as? String == "sbpl")
        let language = try #require(content["language_info"] as? [String: Any])
        #expect(language["name"] as? String == "python")
        #expect(language["file_extension"] as? String == ".sbpl")
        #expect(language["mimetype"] as? String == "text/x-python")
        #expect(language["codemirror_mode"] as? String == "python")
        #expect(language["pygments_lexer"] as? String == "python")
    }

    @Test func executeStreamsOutputAndShowsTheLastValueWithItsCount() async throws {
        let r = try await KernelClientScript.run("execute")
        let first = try cell(r, "first")
        #expect(first["stdout"] as? String == "hi\n")
        let streams = try cell(r, "streams")
        #expect(streams["stdout"] as? String == "out\n")
        #expect(streams["stderr"] as? String == "err\nmore\n", "print(file=sys.stderr) and sys.stderr.write are the cell's stderr")
        #expect(first["result"] as? String == "2")
        #expect(first["result_count"] as? [Int] == [1])
        #expect(first["execution_count"] as? Int == 1)
        #expect(first["iopub_types"] as? [String] == ["status", "execute_input", "stream", "execute_result", "status"])
        #expect(first["statuses"] as? [String] == ["busy", "idle"])
        #expect(first["parent_matches"] as? Bool == true)
        let header = try #require(first["reply_header"] as? [String: Any])
        #expect(header["msg_type"] as? String == "execute_reply")
        #expect(header["version"] as? String == "5.3")
        let second = try cell(r, "second")
        #expect(second["result"] as? String == "42", "variables persist across cells")
        #expect(second["execution_count"] as? Int == 2)
        let silent = try cell(r, "silent")
        #expect(silent["iopub_types"] as? [String] == ["status", "status"], "silent: no output at all")
        #expect(silent["execution_count"] as? Int == 2, "silent: the count does not move")
        let unstored = try cell(r, "unstored")
        #expect(unstored["result"] as? String == "40")
        #expect(unstored["execution_count"] as? Int == 2, "store_history=False: the count does not move")
        #expect(try cell(r, "third")["execution_count"] as? Int == 3)
        #expect(try cell(r, "none")["result"] is NSNull, "None shows no result")
        let history = try #require(r["history"] as? [[Any]])
        #expect(history.map { $0[1] as? Int } == [3, 4], "the last two stored cells, by execution count")
        #expect(history.map { $0[2] as? String } == ["x * 2", "None"])
    }

    @Test func anErrorIsReportedWithTheCellLineAbortsTheQueueAndTheKernelLivesOn() async throws {
        let r = try await KernelClientScript.run("error")
        let failed = try cell(r, "failed")
        #expect(failed["status"] as? String == "error")
        #expect(failed["stdout"] as? String == "before\n", "output before the error is kept")
        #expect(failed["ename"] as? String == "NameError")
        #expect(failed["evalue"] as? String == "name 'undefined_name' is not defined")
        #expect(failed["traceback"] as? [String] == ["In [1]:3:7: NameError: name 'undefined_name' is not defined",
                                                    "    print(undefined_name)", "          ^"])
        #expect(failed["error_messages"] as? Int == 1, "one error message on iopub")
        let after = try cell(r, "after")
        #expect(after["result"] as? String == "6")
        #expect(after["execution_count"] as? Int == 2)
        #expect(r["run_all"] as? [String] == ["ok", "error", "aborted"], "a failing cell aborts the cells queued behind it")
        #expect(try cell(r, "after_run_all")["result"] as? String == "1", "the aborted `z = 2` never ran")
        #expect(try cell(r, "in_earlier_cell")["traceback"] as? [String] == ["In [6]:3:14: ZeroDivisionError: division by zero",
                                                                            "        return a / b", "                 ^"],
                "an error in a function an earlier cell defined shows that cell's line")
    }

    @Test func completesNamesAndAttributesWithCursorPositions() async throws {
        let r = try await KernelClientScript.run("complete")
        let names = try #require(r["names"] as? [String: Any])
        #expect(names["matches"] as? [String] == ["alpha_value", "alphabet"])
        #expect(names["cursor_start"] as? Int == 4)
        #expect(names["cursor_end"] as? Int == 8)
        let methods = try #require(r["methods"] as? [String: Any])
        #expect(methods["matches"] as? [String] == ["upper"])
        #expect(methods["cursor_start"] as? Int == 9)
        #expect(methods["cursor_end"] as? Int == 12)
    }

    @Test func inspectGivesWhatHelpSays() async throws {
        let r = try await KernelClientScript.run("inspect")
        let found = try #require(r["found"] as? [String: Any])
        #expect(found["found"] as? Bool == true)
        let text = try #require((found["data"] as? [String: String])?["text/plain"])
        #expect(text.hasPrefix("str 'hello'. Methods:") && text.contains("split"), "\(text)")
        let missing = try #require(r["missing"] as? [String: Any])
        #expect(missing["found"] as? Bool == false)
    }

    @Test func isCompleteFollowsTheShellsMultiLineRules() async throws {
        let r = try await KernelClientScript.run("is_complete")
        func verdict(_ code: String) -> [String: String]? { r[code] as? [String: String] }
        #expect(verdict("1 + 1") == ["status": "complete"])
        #expect(verdict("for i in range(3):") == ["status": "incomplete", "indent": "    "])
        #expect(verdict("for i in range(3):\n    print(i)") == ["status": "incomplete", "indent": "    "])
        #expect(verdict("for i in range(3):\n    print(i)\n") == ["status": "complete"])
        #expect(verdict("print((1,") == ["status": "incomplete", "indent": ""])
        #expect(verdict("x = '''a") == ["status": "incomplete", "indent": ""])
        #expect(verdict("1 +* 2") == ["status": "invalid"])
        #expect(verdict("") == ["status": "complete"])
    }

    @Test func interruptOnControlOrBySignalStopsAnEndlessLoopAndKeepsTheVariables() async throws {
        let r = try await KernelClientScript.run("interrupt")
        #expect(r["streamed_while_running"] as? String == "looping\n", "stdout is streamed while the cell runs")
        #expect((r["control"] as? [String: String])?["status"] == "ok")
        #expect(r["same_request"] as? Bool == true)
        let interrupted = try #require(r["interrupted"] as? [String: Any])
        #expect(interrupted["status"] as? String == "error")
        #expect(interrupted["ename"] as? String == "KeyboardInterrupt")
        #expect(try cell(r, "after")["result"] as? String == "8")
        #expect((r["signalled"] as? [String: Any])?["ename"] as? String == "KeyboardInterrupt", "SIGINT (interrupt_mode signal)")
        #expect(try cell(r, "after_signal")["result"] as? String == "9")
    }

    @Test func aModelRunsInACellAndItsWarningIsTheCellsStderr() async throws {
        try KernelClientScript.requireMiniLM()
        let r = try await KernelClientScript.run("model")
        #expect(try cell(r, "loaded")["result"] as? String == "[101, 7592, 2088, 999, 102]")
        let padded = try cell(r, "padded")
        #expect(padded["result"] as? String == "torch.Size([1, 4, 384])")
        #expect(padded["stderr"] as? String == "We strongly recommend passing in an `attention_mask` since your input_ids may be padded. "
                + "See https://huggingface.co/docs/transformers/troubleshooting#incorrect-output-when-padding-tokens-arent-masked.\n")
        #expect(try cell(r, "head")["stderr"] as? String == "Some weights of BertForSequenceClassification were not initialized from the model checkpoint at \(TestVenv.cachePath("SBPL_MINILM_DIR", default: "all-MiniLM-L6-v2")) and are newly initialized: ['classifier.bias', 'classifier.weight']\n"
                + "You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.\n")
    }

    /// A cell printing 20,000 lines sends them all, gathered into a few stream messages (one a line overflowed
    /// ZeroMQ's queue: lines and the idle status were lost), then its idle; printed text precedes the cell's value.
    @Test func aCellPrintingThousandsOfLinesLosesNone() async throws {
        let r = try await KernelClientScript.run("flood")
        let printed = try #require(r["printed"] as? [String: Any])
        #expect(printed["lines"] as? Int == 20000)
        #expect(printed["last"] as? String == "step 19999\n")
        #expect((printed["streams"] as? Int).map { $0 < 200 } == true, "\(printed)")
        #expect(printed["statuses"] as? [String] == ["busy", "idle"])
        #expect(r["partial"] as? [String] == ["status", "execute_input", "stream", "execute_result", "status"])
    }

    @Test func shutdownEndsTheProcessAndFreesEveryPort() async throws {
        let r = try await KernelClientScript.run("shutdown")
        #expect((r["reply"] as? [String: Any])?["status"] as? String == "ok")
        #expect(r["exit_status"] as? Int == 0)
        #expect(r["free_ports"] as? [String] == ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"])
    }

    @Test func aMessageWithAWrongSignatureIsDroppedAndLogged() async throws {
        let r = try await KernelClientScript.run("bad_signature")
        let after = try cell(r, "after")
        #expect(after["ename"] as? String == "NameError", "the forged cell `forged = 1` never ran")
        #expect(after["execution_count"] as? Int == 1, "nor counted")
        #expect(r["kernel_stderr"] as? String == "sbpl kernel (shell): a message with a bad signature was dropped\n")
    }

    private func cell(_ report: [String: Any], _ name: String) throws -> [String: Any] {
        try #require(report[name] as? [String: Any], "no \(name) in \(report)")
    }
}

/// `!command` and `%magic` lines in cells: the terminal shell's own `Session`, as ipykernel runs them.
@Suite(.serialized)
struct KernelLineCommandTests {
    @Test func shellCommandsAndMagicsRunAsInIPython() async throws {
        let r = try await KernelClientScript.run("line_commands")
        func cell(_ name: String) throws -> [String: Any] { try #require(r[name] as? [String: Any], "no \(name) in \(r)") }
        let folder = try #require(r["folder"] as? String)
        let system = try cell("system")
        #expect(system["stdout"] as? String == "hello\r\noops\r\n", "stdout and stderr of the command on a terminal, as ipykernel streams them")
        #expect(system["result"] as? String == "3", "_exit_code")
        #expect(try cell("cd")["stdout"] as? String == folder + "\n")
        #expect(try cell("pwd")["result"] as? String == "'\(folder)'")
        #expect(try cell("pip")["stdout"] as? String == "sbpl: transformers is built in; nothing to install\n")
        #expect(try cell("kept")["result"] as? String == "2")
        #expect(try cell("history")["stdout"] as? String == "   2: %cd \(folder)\n   3: %pwd\n   4: %pip install -q transformers\n")
        // as ipykernel 6 / IPython 8 print them: a multi-line input starts on its own line; a folder that cannot be
        // entered prints the OSError, then where the session still is
        #expect(try cell("history_multiline")["stdout"] as? String == "   5:\ny = 1\ny + 1\n")
        let missing = try cell("cd_missing")
        #expect(missing["stdout"] as? String == "[Errno 2] No such file or directory: '/nonexistent-sbpl-dir'\n\(folder)\n")
        #expect(missing["status"] as? String == "ok")
        let payload = try #require(r["load_payload"] as? [[String: Any]])
        #expect(payload.count == 1)
        #expect(payload.first?["source"] as? String == "set_next_input")
        #expect(payload.first?["text"] as? String == "# %load snippet.sbpl\nx = 6\nx * 7\n")
        #expect(payload.first?["replace"] as? Bool == true)
        #expect(try cell("save")["stdout"] as? String == "The session's 5 cells were written to `session.ipynb`.\n")
        let saved = try #require(r["saved"] as? [[Any]], "nbformat read and validated the notebook")
        #expect(saved.map { $0[0] as? Int } == [1, 2, 3, 4, 5])
        #expect(saved.map { $0[1] as? String } == ["!echo hello; echo oops 1>&2; exit 3\n_exit_code", "%cd \(folder)", "%pwd",
                                                   "%pip install -q transformers", "y = 1\ny + 1"])
        #expect(saved[0][2] as? [[String]] == [["stream", "hello\r\noops\r\n"], ["execute_result", "3"]])
        #expect(saved[2][2] as? [[String]] == [["execute_result", "'\(folder)'"]])
        let question = try #require(r["question"] as? [String: Any])
        #expect(question["msg_type"] as? String == "input_request")
        #expect(question["prompt"] as? String == "Once deleted, variables cannot be recovered. Proceed (y/[n])? ")
        #expect(question["parent_matches"] as? Bool == true)
        #expect(r["declined"] as? String == "Nothing done.\n")
        #expect(try cell("still_there")["result"] as? String == "1")
        #expect(try cell("reset_without_stdin")["status"] as? String == "ok", "without stdin, as ipykernel: reset as with -f")
        #expect(try cell("after_reset")["ename"] as? String == "NameError")
        #expect(try cell("out_after_reset")["result"] as? String == "{}", "Out is cleared too")
        let unknown = try cell("unknown")
        #expect(unknown["ename"] as? String == "UsageError")
        #expect((unknown["evalue"] as? String)?.hasPrefix("Line magic function `%nosuchmagic` not found") == true)
        let setup = try cell("setup_magics")
        #expect(setup["stdout"] as? String == "env: SBPL_TEST_VALUE=a b\n", "%matplotlib, %load_ext autoreload, %autoreload do nothing")
        #expect(setup["result"] as? String == "'a b'")
        #expect(try cell("env_in_python")["result"] as? String == "'a b'")
        #expect(try cell("unknown_extension")["evalue"] as? String == "No module named 'nosuchextension'")
        let failing = try cell("run_failing")
        #expect(failing["stdout"] as? String == "ran\n")
        #expect(failing["traceback"] as? [String] == ["failing.sbpl:3:11: KeyError: 'missing'", "    limit = {}['missing']", "              ^"],
                "an error in a %run script names the script and its line")
        // cell magics, as IPython 8 runs them
        let timed = try cell("cell_time")
        #expect((timed["stdout"] as? String)?.hasPrefix("CPU times: user ") == true && timed["result"] as? String == "45")
        #expect((try cell("cell_timeit")["stdout"] as? String)?.contains(" per loop (mean ± std. dev. of 7 runs, ") == true)
        let captured = try cell("capture")
        #expect(captured["stdout"] as? String == "" && captured["stderr"] as? String == "" && captured["result"] is NSNull)
        #expect(try cell("captured")["result"] as? String == "('hidden\\n', 'err\\n')")
        let shown = try cell("captured_show")
        #expect(shown["stdout"] as? String == "hidden\n" && shown["stderr"] as? String == "err\n")
        let written = try #require(r["writefile"] as? [[String: Any]])
        #expect(written.map { $0["stdout"] as? String } == ["Writing hello.py\n", "Overwriting hello.py\n", "Appending to hello.py\n"])
        #expect(try cell("written")["result"] as? String == "\"print('hi')\\nprint('more')\\n\"")
        #expect(try cell("unknown_cell_magic")["evalue"] as? String == "Cell magic `%%nosuch` not found (sbpl has %%capture, %%time, %%timeit, %%writefile).")
        let failedTimed = try cell("cell_time_error")
        #expect((failedTimed["stdout"] as? String)?.hasPrefix("CPU times: user ") == true && failedTimed["ename"] as? String == "NameError",
                "%%time prints its times when the cell fails, then the error")
        #expect((try cell("timeit_options")["stdout"] as? String)?.hasSuffix(" per loop (mean ± std. dev. of 1 run, 1 loop each)\n") == true)
        #expect(try cell("capture_error")["status"] as? String == "ok", "IPython shows a captured cell's error inside the capture")
        let capturedError = try #require(try cell("captured_error")["result"] as? String)
        #expect(capturedError.hasPrefix("'hi\\nIn [") && capturedError.hasSuffix("]:3:3: ZeroDivisionError: division by zero\\n    1 / 0\\n      ^\\n'"),
                "\(capturedError)")
        #expect(try cell("append_new")["stdout"] as? String == "Writing new.txt\n", "-a on a new file writes it")
        let tensor = try cell("tensor")
        #expect(tensor["result"] as? String == "tensor([[ True, False]])", "text/plain stays PyTorch's")
        #expect(tensor["result_html"] as? String == "<table><tr><th>shape</th><td><code>torch.Size([1, 2])</code></td></tr>"
                + "<tr><th>dtype</th><td><code>torch.bool</code></td></tr></table><pre>tensor([[ True, False]])</pre>")
        #expect(r["input_prompt"] as? String == "Name? ", "input() asks the front end on stdin")
        #expect(r["input_output"] as? String == "Hi Ada\n")
        #expect(try cell("input_without_stdin")["ename"] as? String == "EOFError", "no stdin: the end of the input")
    }

    @Test func aDownloadInACellShowsItsProgressAsTheCellsStderr() async throws {
        let root = try Fixtures.temporaryDirectory(), cache = try Fixtures.temporaryDirectory()
        let repo = root.appendingPathComponent("acme/tiny")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try #"{"model_type": "distilbert"}"#.write(to: repo.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try await FakeHub.serving(root) { hub in
            let r = try await KernelClientScript.run("download", environment: ["HF_HUB_CACHE": cache.path, "HF_HUB_OFFLINE": nil,
                                                                              "HF_ENDPOINT": hub.endpoint.absoluteString])
            #expect(r["result"] as? [String] == ["'distilbert'"])
            let text = try #require(r["stderr_pieces"] as? [String]).joined()
            #expect(text.hasPrefix("\rconfig.json: 100%|████████████████████| 28B/28B [00:00<00:00, "), "\(text)")
            #expect(text.hasSuffix("\n"), "the bar is redrawn in place (after \\r) and ended by a newline: \(text)")
        }
    }
}
