import Foundation
import TestSupport
import Testing

/// The `sbpl` binary as a user runs it: scripts, `-c`, standard input, exit statuses, Ctrl-C.
@Suite struct CommandLineTests {
    private func run(_ arguments: [String], input: String = "", interruptAfterPrinting marker: String? = nil) async throws -> ProcessOutput {
        try await ChildProcess.run(try SbplBinary.url(), arguments, input: input, interruptAfterPrinting: marker, timeout: .seconds(60))
    }

    private func script(_ text: String) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("s.sbpl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Whether this CPU has AVX-512 with VNNI, whose GEMM kernels SBPL_GEMM_AVX2=1 swaps for the AVX2 ones.
    private static let hasAVX512 = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
        .split(separator: "\n").first { $0.hasPrefix("flags") }.map { $0.contains(" avx512f ") && $0.contains(" avx512_vnni ") } ?? false

    /// The float32 and int8 GEMMs' AVX2 micro-kernels (the ones a CPU without AVX-512 runs; SBPL_GEMM_AVX2=1 picks them
    /// here) give the AVX-512 ones' bits: a small model's hidden states and logits (tiles of 37 columns, bias +
    /// residual added in the kernel, GELU after it), MiniLM over 130 tokens (products split over the cores by rows),
    /// a tiny T5 (residuals without a bias), the small model quantized, and a 130-row product, printed in full. The
    /// variable also packs transposed panels (weights, a head's keys) value by value instead of through AVX-512
    /// register transposes, so the two packings are compared too.
    @Test(.enabled(if: hasAVX512, "a CPU without AVX-512 runs the AVX2 kernels either way"))
    func theAVX2KernelsGiveTheAVX512KernelsBits() async throws {
        let tasks = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks").path
        let program = try script("""
            import torch
            from transformers import AutoModel, AutoModelForSeq2SeqLM, AutoModelForSequenceClassification
            model = AutoModelForSequenceClassification.from_pretrained("\(tasks)/tiny-distilbert-nli")
            minilm = AutoModel.from_pretrained("\(try Fixtures.miniLM().path)")
            t5 = AutoModelForSeq2SeqLM.from_pretrained("\(tasks)/tiny-t5")
            quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
            torch.manual_seed(0)
            ids = torch.tensor([[2, 7, 9, 3, 11, 5, 8, 4, 6, 10, 12, 13, 14]])
            with torch.no_grad():
                out = model(input_ids=ids, output_hidden_states=True)
                long = minilm(input_ids=torch.randint(1000, 20000, (1, 130))).last_hidden_state
                seq2seq = t5(input_ids=ids, decoder_input_ids=ids[:, :5]).logits
                q = quantized(input_ids=ids).logits
                linear = torch.nn.functional.linear(torch.randn(130, 700), torch.randn(45, 700), torch.randn(45))
            print(out.logits.tolist(), out.hidden_states[-1].tolist(), long[0, ::8].tolist(), seq2seq.tolist(), q.tolist(), linear.tolist())
            """)
        let avx512 = try await ChildProcess.run(try SbplBinary.url(), [program], timeout: .seconds(60))
        let avx2 = try await ChildProcess.run(try SbplBinary.url(), [program], environment: ["SBPL_GEMM_AVX2": "1"], timeout: .seconds(60))
        #expect(avx512.status == 0 && avx512.err.isEmpty)
        #expect(avx512.out.count > 300_000)  // 130 x 45 + 17 x 384 + 5 x 410 + ... values
        let same = avx2.out == avx512.out  // 300 KB each: the place they part, not both in full
        let parted = zip(avx2.out, avx512.out).prefix { $0 == $1 }.count
        #expect(same, "they differ from character \(parted): \(avx2.out.dropFirst(parted).prefix(60))")
    }

    @Test func runsAScriptWithArguments() async throws {
        let r = try await run([try script("#!/usr/bin/env sbpl\nimport sys\nprint(sys.argv[1:], 'ok')\n"), "a", "b"])
        #expect(r.out == "['a', 'b'] ok\n")
        #expect(r.status == 0)
    }

    /// `warnings` filters (by category, `catch_warnings`, `"error"`) decide which warnings show, the pipelines'
    /// UserWarnings included; `transformers.logging` sets how much transformers (and sbpl's notices) say. Both are
    /// process-wide, as in Python, so this runs in a process of its own. A warning is its category and message
    /// (CPython also prints the file, line and source line).
    @Test func warningsAndTransformersVerbosityAreFilteredAsInPython() async throws {
        let root = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks/tiny-distilbert-nli").path
        let r = try await run([try script("""
            import warnings
            from transformers import AutoModel, logging, pipeline
            warnings.warn("first")
            warnings.warn("old api", DeprecationWarning)
            warnings.warn("pending", PendingDeprecationWarning)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                warnings.warn("hidden")
            warnings.filterwarnings("ignore", category=FutureWarning)
            warnings.warn("future", FutureWarning)
            warnings.warn("still shown")
            for _ in range(3):
                warnings.warn("looped")
            warnings.simplefilter("error", UserWarning)
            try:
                warnings.warn("raised")
            except UserWarning as e:
                print("caught", e)
            classifier = pipeline("sentiment-analysis", model="\(root)")
            warnings.simplefilter("ignore")
            classifier("fine", return_all_scores=True)
            model = AutoModel.from_pretrained("\(root)")
            print(logging.get_verbosity())
            logging.set_verbosity_error()
            model.train()
            print(logging.get_verbosity())
            logging.set_verbosity(25)
            print(logging.get_verbosity())
            logging.set_verbosity_warning()
            import torch
            torch.nn.Linear(2, 2).half()
            """)])
        #expect(r.out == "caught raised\n30\n40\n25\n")
        #expect(r.err == "UserWarning: first\nDeprecationWarning: old api\nUserWarning: still shown\nUserWarning: looped\n"
                + "sbpl converts the parameters of a transformers model to torch.float16, not those of a module made on its own: it stays in float32\n")
        #expect(r.status == 0)
    }

    /// A tqdm bar is drawn on stderr as tqdm draws it without a terminal: redrawn after `\r`, its last line ending it.
    @Test func tqdmDrawsItsBarOnStandardError() async throws {
        let r = try await run(["-c", "from tqdm.auto import tqdm\nfor x in tqdm(range(3), desc='d'): pass\nprint('done')"])
        #expect(r.out == "done\n")
        let lines = r.err.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(lines.first == "d:   0%|          | 0/3 [00:00<?, ?it/s]")
        #expect(lines.last.map { $0.wholeMatch(of: /d: 100%\|██████████\| 3\/3 \[00:00<00:00, [0-9.]+it\/s\]\n/) != nil } == true, "\(r.err)")
    }

    /// `input()` in a script writes its prompt and reads a line of standard input; at its end, EOFError.
    @Test func inputReadsStandardInput() async throws {
        let r = try await run([try script("name = input('Name? ')\nprint('Hi', name)\ninput()\n")], input: "Ada\n")
        #expect(r.out == "Name? Hi Ada\n")
        #expect(r.err.hasSuffix("EOFError: EOF when reading a line\n    input()\n    ^\n"), "\(r.err)")
        #expect(r.status == 1)
    }

    /// A write to standard output that fails (a full disk, a closed stream, a pipe whose reader has gone, SIGPIPE
    /// ignored as Python ignores it) is Python's OSError at that `print`, named on stderr with status 1: never a
    /// trap. A program can catch it.
    @Test func failedWritesToStandardOutputAreOSErrors() async throws {
        let sbpl = try SbplBinary.url().path
        let shell = URL(fileURLWithPath: "/bin/sh")
        for (redirect, message) in [("> /dev/full", "OSError: [Errno 28] No space left on device"), (">&-", "OSError: [Errno 9] Bad file descriptor")] {
            let r = try await ChildProcess.run(shell, ["-c", "'\(sbpl)' -c 'print(1)' \(redirect)"])
            #expect(r.status == 1)
            #expect(r.err.hasPrefix("<string>:1:1: \(message)\n"), "\(r.err)")
        }
        let piped = try await ChildProcess.run(shell, ["-c", "'\(sbpl)' -c 'for i in range(10**6): print(i)' | head -1"])
        #expect(piped.out == "0\n")
        #expect(piped.err.contains("BrokenPipeError: [Errno 32] Broken pipe"), "\(piped.err)")
        let caught = try await ChildProcess.run(shell, ["-c", "'\(sbpl)' -c 'try:\n    print(1)\nexcept OSError as e:\n    exit(7)' > /dev/full"])
        #expect(caught.status == 7, "\(caught.err)")
    }

    /// Under an address-space limit (`ulimit -v`), an allocation past what it leaves is Python's MemoryError (or
    /// torch's allocator error), not Swift's abort, and a thread it cannot hold is CPython's RuntimeError, not a wait
    /// for a generator that never starts; what fits still runs.
    @Test func allocationsPastTheAddressSpaceLimitAreMemoryErrors() async throws {
        let sbpl = try SbplBinary.url().path
        for (program, error) in [("'{:{}}'.format(1, 10**10)", "MemoryError"), ("x = [0] * (3 * 10**8)", "MemoryError"),
                                 ("import torch\ntorch.zeros(4 * 10**9)", "RuntimeError: DefaultCPUAllocator: not enough memory"),
                                 // generators nested past the threads the address space holds (each has its own stack)
                                 ("def g():\n    yield from g()\nnext(g())", "RuntimeError: can't start new thread")] {
            let r = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -v 8000000; '\(sbpl)' -c \"$0\"", program])
            #expect(r.status == 1, "\(program): \(r.err)")
            #expect(r.err.contains(error), "\(program): \(r.err)")
        }
        let fits = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -v 8000000; '\(sbpl)' -c 'import torch; print(torch.zeros(10**8).shape)'"])
        #expect(fits.out == "torch.Size([100000000])\n", "\(fits.err)")
    }

    @Test func dashCAndStandardInput() async throws {
        #expect(try await run(["-c", "print(6 * 7)"]).out == "42\n")
        let piped = try await run([], input: "x = 2\nprint(x ** 10)\nx\n")
        #expect(piped.out == "1024\n", "expression statements print nothing in scripts")
        #expect(piped.status == 0)
    }

    @Test func helpAndVersion() async throws {
        #expect(try await run(["--help"]).out.hasPrefix("usage: sbpl"))
        #expect(try await run(["--version"]).out == "sbpl 0.1.0\n")
        #expect(try await run(["--bogus"]).status == 2)
    }

    @Test func subcommandsHaveTheirOwnHelpAndArgumentsAfterCodeAreTheScripts() async throws {
        let help = try await run(["download", "--help"])
        #expect(help.out.contains("USAGE: sbpl download <repo> [--revision <revision>]"), "\(help.out)")
        #expect(help.status == 0)
        #expect(try await run(["download"]).status == 2, "a missing REPO is a usage error")
        #expect(try await run(["-c", "import sys; print(sys.argv)", "-V", "--help"]).out == "['-c', '-V', '--help']\n")
        #expect(try await run(["run", "-c", "print('run')"]).out == "run\n", "`run` is the default subcommand")
        let missing = try await run(["-c"])
        #expect(missing.err.hasPrefix("sbpl: argument expected for the -c option\nusage: sbpl"), "\(missing.err)")
        #expect(missing.status == 2)
    }

    @Test func theDefaultCacheIsUnderHOME() async throws {
        let home = try Fixtures.temporaryDirectory().path
        let r = try await ChildProcess.run(try SbplBinary.url(), ["-c", "from transformers import AutoConfig\nAutoConfig.from_pretrained('org/absent')"],
                                           environment: ["HOME": home, "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": nil, "HF_HOME": nil,
                                                         "XDG_CACHE_HOME": nil],
                                           timeout: .seconds(60))
        #expect(r.err.contains("looked in \(home)/.cache/huggingface/hub/models--org--absent"), "\(r.err)")
        #expect(r.status == 1)
    }

    @Test func errorsExitOneAfterTheOutputSoFar() async throws {
        let r = try await run(["-c", "print('before')\nprint(undefined)"])
        #expect(r.out == "before\n")
        #expect(r.err == "<string>:2:7: NameError: name 'undefined' is not defined\n    print(undefined)\n          ^\n")
        #expect(r.status == 1)
    }

    @Test func unreadableAndBinaryFilesAreRefused() async throws {
        #expect(try await run(["/no/such/file.sbpl"]).err == "sbpl: OSError: can't open file '/no/such/file.sbpl': No such file or directory\n")
        let binary = try Fixtures.temporaryDirectory().appendingPathComponent("b.sbpl")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]).write(to: binary)
        let r = try await run([binary.path])
        #expect(r.err == "sbpl: SyntaxError: \(binary.path): source code cannot contain null bytes (is it a binary file?)\n")
        #expect(r.status == 1)
        let latin1 = try Fixtures.temporaryDirectory().appendingPathComponent("l.sbpl")
        try Data([0x70, 0x72, 0x69, 0x6E, 0x74, 0x28, 0xE9, 0x29]).write(to: latin1)
        #expect(try await run([latin1.path]).err == "sbpl: SyntaxError: \(latin1.path) is not UTF-8 text\n")
    }

    @Test func controlCStopsARunningScriptWithStatus130() async throws {
        let r = try await run(["-c", "print('started', flush=True)\nwhile True:\n    pass"], interruptAfterPrinting: "started\n")
        #expect(r.out == "started\n")
        #expect(r.err.contains("KeyboardInterrupt"), "\(r.err)")
        #expect(r.status == 130)
    }

    @Test func aProgramThatHangsIsKilledAtItsTimeLimit() async throws {
        await #expect(throws: ProcessTimeout.self) {
            try await ChildProcess.run(try SbplBinary.url(), ["-c", "while True:\n    pass"], timeout: .seconds(1))
        }
    }

    @Test func outputLargerThanAPipeDoesNotBlock() async throws {
        let r = try await run(["-c", "for i in range(100000):\n    print(i)"])
        #expect(r.out.split(separator: "\n").count == 100_000)
        #expect(r.status == 0)
    }
}
