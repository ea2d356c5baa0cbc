"""Drives `sbpl kernel` with jupyter_client, as a front end would, and prints what it saw as one JSON object.

usage: python kernel_client.py SBPL_BINARY SCENARIO
       python kernel_client.py --installed KERNEL_NAME
       python kernel_client.py --nbclient KERNEL_NAME NOTEBOOK

Each scenario starts a kernel on a fresh connection file, talks to it with a BlockingKernelClient, and reports
the replies and iopub messages (simplified to the fields the tests assert on). `--installed` starts the
kernelspec KERNEL_NAME as a front end does (KernelManager, which finds it as `jupyter kernelspec list` does),
runs a cell and shuts it down. `--nbclient` executes NOTEBOOK on that kernelspec with nbclient (errors allowed, as
`jupyter nbconvert --execute --allow-errors`) and reports each code cell's execution count and outputs. The Swift tests (KernelTests) run
this script with the test venv's python and check the values.
"""
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_client.session import Session

TIMEOUT = 30


def start(binary):
    """The kernel process, its client and its connection info."""
    folder = tempfile.mkdtemp(prefix="sbpl-kernel-test-")
    atexit.register(shutil.rmtree, folder, True)
    path, info = write_connection_file(os.path.join(folder, "connection.json"), ip="127.0.0.1",
                                       key=uuid.uuid4().hex.encode())
    stderr = open(os.path.join(folder, "stderr.txt"), "w+")
    process = subprocess.Popen([binary, "kernel", "-f", path], stdout=subprocess.DEVNULL, stderr=stderr)
    client = BlockingKernelClient()
    client.load_connection_file(path)
    # The heartbeat's default second of silence counts as death; on a loaded machine (tests run in parallel) a
    # kernel can take longer than that to bind its sockets, so allow ten seconds.
    client.hb_channel.time_to_dead = 10.0
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)
    except RuntimeError:
        # "Kernel died" is the heartbeat's guess; a kernel that is in fact alive (a slow start under load) gets
        # one more wait, a dead one fails with what it wrote
        if process.poll() is not None:
            stderr.seek(0)
            raise RuntimeError(f"the kernel exited with status {process.returncode}: {stderr.read()}")
        client.stop_channels()
        client.start_channels()
        client.wait_for_ready(timeout=TIMEOUT)
    return process, client, info, stderr


def outputs(client, msg_id):
    """The iopub messages of the request `msg_id`, up to its idle status: [(msg_type, content)]."""
    seen = []
    while True:
        message = client.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append((message["msg_type"], message["content"]))
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return seen


def shell_reply(client):
    """The next shell reply, past any late kernel_info_reply: jupyter_client's wait_for_ready sends kernel_info
    requests until one is answered, so on a loaded machine a second answer can arrive after it returned."""
    while True:
        reply = client.get_shell_msg(timeout=TIMEOUT)
        if reply["msg_type"] != "kernel_info_reply":
            return reply


def run(client, code, **options):
    """Executes `code`: the reply's content, and its iopub outputs summarised."""
    msg_id = client.execute(code, **options)
    reply = shell_reply(client)
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    seen = outputs(client, msg_id)
    results = [c["data"]["text/plain"] for t, c in seen if t == "execute_result"]
    errors = [c for t, c in seen if t == "error"]
    return {
        "status": reply["content"]["status"],
        "execution_count": reply["content"].get("execution_count"),
        "reply_header": {k: reply["header"][k] for k in ("msg_type", "version", "session")},
        "parent_matches": reply["parent_header"]["msg_id"] == msg_id,
        "iopub_types": [t for t, _ in seen],
        "statuses": [c["execution_state"] for t, c in seen if t == "status"],
        "stdout": "".join(c["text"] for t, c in seen if t == "stream" and c["name"] == "stdout"),
        "stderr": "".join(c["text"] for t, c in seen if t == "stream" and c["name"] == "stderr"),
        "result": results[0] if results else None,
        "result_html": next((c["data"].get("text/html") for t, c in seen if t == "execute_result"), None),
        "result_count": [c["execution_count"] for t, c in seen if t == "execute_result"],
        "ename": reply["content"].get("ename"),
        "evalue": reply["content"].get("evalue"),
        "traceback": reply["content"].get("traceback"),
        "error_messages": len(errors),
    }


def request(client, channel, msg_type, content):
    """Sends a request on `channel` and returns its reply's content."""
    message = client.session.msg(msg_type, content)
    getattr(client, channel + "_channel").send(message)
    reply = shell_reply(client) if channel == "shell" else client.get_control_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == message["header"]["msg_id"]
    return reply["content"]


def kernel_info(client, process, info, stderr):
    reply = client.kernel_info(reply=True, timeout=TIMEOUT)
    return {"content": reply["content"], "msg_type": reply["msg_type"], "version": reply["header"]["version"]}


def execute(client, process, info, stderr):
    first = run(client, "print('hi')\n1 + 1")
    second = run(client, "x = 40\nx + 2")
    quiet = run(client, "print('hidden')\nx", silent=True)
    unstored = run(client, "x", store_history=False)
    third = run(client, "x * 2")
    none = run(client, "None")
    history = request(client, "shell", "history_request", {"hist_access_type": "tail", "n": 2, "output": False, "raw": True})
    streams = run(client, "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.stderr.write('more\\n')")
    return {"first": first, "second": second, "silent": quiet, "unstored": unstored, "third": third, "none": none,
            "history": history["history"], "streams": streams}


def error(client, process, info, stderr):
    failed = run(client, "y = 5\nprint('before')\nprint(undefined_name)")
    after = run(client, "y + 1")
    # Run All: three cells sent at once; the failing one aborts the one queued behind it
    # (the failing cell loops first, so the cell behind it is surely queued when it fails)
    ids = [client.execute(code) for code in ("z = 1", "for i in range(100000):\n    pass\n1 / 0", "z = 2")]
    replies = {}
    while len(replies) < 3:
        reply = shell_reply(client)
        replies[reply["parent_header"]["msg_id"]] = reply["content"]["status"]
    outputs(client, ids[1])  # the failed cell's idle: its queue is drained (as a front end waits for it)
    kept = run(client, "z")
    # an error raised in a function an earlier cell defined points at that cell's line
    run(client, "def ratio(a, b):\n    # a over b\n    return a / b")
    earlier = run(client, "x = 1\nratio(x, 0)")
    return {"failed": failed, "after": after, "run_all": [replies[i] for i in ids], "after_run_all": kept,
            "in_earlier_cell": earlier}


def complete(client, process, info, stderr):
    run(client, "alpha_value = 3\nalphabet = 'abc'")
    names = request(client, "shell", "complete_request", {"code": "x = alph", "cursor_pos": 8})
    methods = request(client, "shell", "complete_request", {"code": "alphabet.upp", "cursor_pos": 12})
    return {"names": names, "methods": methods}


def inspect(client, process, info, stderr):
    run(client, "greeting = 'hello'")
    found = request(client, "shell", "inspect_request", {"code": "greeting", "cursor_pos": 3, "detail_level": 0})
    missing = request(client, "shell", "inspect_request", {"code": "nothing_here", "cursor_pos": 3, "detail_level": 0})
    return {"found": found, "missing": missing}


def is_complete(client, process, info, stderr):
    codes = ["1 + 1", "for i in range(3):", "for i in range(3):\n    print(i)", "for i in range(3):\n    print(i)\n",
             "print((1,", "x = '''a", "1 +* 2", ""]
    return {code: request(client, "shell", "is_complete_request", {"code": code}) for code in codes}


def interrupt(client, process, info, stderr):
    run(client, "n = 7")
    msg_id = client.execute("print('looping')\nwhile True:\n    n = n")
    streamed = None
    while streamed is None:  # the print shows while the cell still runs
        message = client.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "stream":
            streamed = message["content"]["text"]
    time.sleep(0.5)
    control = request(client, "control", "interrupt_request", {})
    reply = shell_reply(client)
    same_request = reply["parent_header"]["msg_id"] == msg_id
    outputs(client, msg_id)  # its idle: an error (KeyboardInterrupt too) first aborts what is queued behind it
    after = run(client, "n + 1")
    msg_id = client.execute("while True:\n    n = n")
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    signalled = shell_reply(client)["content"]
    outputs(client, msg_id)
    after_signal = run(client, "n + 2")
    return {"streamed_while_running": streamed, "control": control, "interrupted": reply["content"], "same_request": same_request,
            "after": after, "signalled": signalled, "after_signal": after_signal}


def model(client, process, info, stderr):
    folder = os.environ["SBPL_MINILM_DIR"]
    loaded = run(client, "from transformers import AutoTokenizer, AutoModel\nimport torch\n"
                         f"tokenizer = AutoTokenizer.from_pretrained({folder!r})\n"
                         f"model = AutoModel.from_pretrained({folder!r})\n"
                         "tokenizer('Hello world!')['input_ids']")
    padded = run(client, "out = model(torch.tensor([[101, 7592, 102, 0]]))\nout.last_hidden_state.shape")
    # a warning from a model's own logger (not the cell's): the cell's stderr too
    head = run(client, "from transformers import AutoModelForSequenceClassification\n"
                       f"classifier = AutoModelForSequenceClassification.from_pretrained({folder!r}, num_labels=2)")
    return {"loaded": loaded, "padded": padded, "head": head}


def flood(client, process, info, stderr):
    """A cell printing 20,000 lines: every line arrives, in a few stream messages, and the cell's idle too; text
    without a newline shows before the cell's value."""
    printed = run(client, "for i in range(20000):\n    print('step', i)")
    partial = run(client, "print('partial', end='')\n5")
    return {"printed": {"lines": printed["stdout"].count("\n"), "last": printed["stdout"][-11:],
                        "streams": printed["iopub_types"].count("stream"), "statuses": printed["statuses"]},
            "partial": partial["iopub_types"]}


def shutdown(client, process, info, stderr):
    reply = request(client, "control", "shutdown_request", {"restart": False})
    status = process.wait(timeout=TIMEOUT)
    client.stop_channels()
    free = []
    for port in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", info[port]))
                free.append(port)
            except OSError:
                pass
    return {"reply": reply, "exit_status": status, "free_ports": free}


def bad_signature(client, process, info, stderr):
    forger = Session(key=b"not-the-key", username=client.session.username)
    forged = forger.msg("execute_request", {"code": "forged = 1", "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False})
    forger.send(client.shell_channel.socket, forged)
    time.sleep(0.5)
    after = run(client, "forged")
    stderr.flush()
    stderr.seek(0)
    return {"after": after, "forged_id": forged["header"]["msg_id"], "kernel_stderr": stderr.read()}


def line_commands(client, process, info, stderr):
    """`!`, `%cd`, `%pwd`, `%history`, `%reset` (asked on stdin, or as -f without it), `%load`, `%save`."""
    folder = tempfile.mkdtemp(prefix="sbpl-line-commands-")
    atexit.register(shutil.rmtree, folder, True)
    with open(os.path.join(folder, "snippet.sbpl"), "w") as f:
        f.write("x = 6\nx * 7\n")
    report = {"folder": os.path.realpath(folder)}
    report["system"] = run(client, "!echo hello; echo oops 1>&2; exit 3\n_exit_code")
    report["cd"] = run(client, f"%cd {folder}")
    report["pwd"] = run(client, "%pwd")
    report["pip"] = run(client, "%pip install -q transformers")
    report["kept"] = run(client, "y = 1\ny + 1")
    report["history"] = run(client, "%history -n 2-4")
    report["history_multiline"] = run(client, "%history -n 5")
    report["cd_missing"] = run(client, "%cd /nonexistent-sbpl-dir")
    load = client.execute("%load snippet.sbpl")
    reply = shell_reply(client)
    outputs(client, load)
    report["load_payload"] = reply["content"]["payload"]
    report["save"] = run(client, "%save session.ipynb 1-5")
    import nbformat
    book = nbformat.read(os.path.join(folder, "session.ipynb"), as_version=4)
    nbformat.validate(book)
    report["saved"] = [[c.execution_count, c.source, [[o.output_type, o.get("text") or o.get("data", {}).get("text/plain")]
                                                      for o in c.outputs]] for c in book.cells]
    asked = client.execute("%reset", allow_stdin=True)
    question = client.get_stdin_msg(timeout=TIMEOUT)
    report["question"] = {"msg_type": question["msg_type"], "prompt": question["content"]["prompt"],
                          "parent_matches": question["parent_header"]["msg_id"] == asked}
    client.input("n")
    shell_reply(client)
    report["declined"] = "".join(c["text"] for t, c in outputs(client, asked) if t == "stream")
    report["still_there"] = run(client, "y")
    report["reset_without_stdin"] = run(client, "%reset", allow_stdin=False)
    report["after_reset"] = run(client, "y")
    report["out_after_reset"] = run(client, "Out")
    report["unknown"] = run(client, "%nosuchmagic")
    report["setup_magics"] = run(client, "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n%env SBPL_TEST_VALUE=a b\n%env SBPL_TEST_VALUE")
    report["env_in_python"] = run(client, "import os\nos.environ['SBPL_TEST_VALUE']")
    report["unknown_extension"] = run(client, "%load_ext nosuchextension")
    with open(os.path.join(folder, "failing.sbpl"), "w") as f:
        f.write("print('ran')\n\nlimit = {}['missing']\n")
    report["run_failing"] = run(client, "%run failing.sbpl")
    # cell magics
    report["cell_time"] = run(client, "%%time\nx = sum(range(10))\nx")
    report["cell_timeit"] = run(client, "%%timeit total = 0\ntotal += 1")
    report["capture"] = run(client, "%%capture cap\nprint('hidden')\nimport sys\nprint('err', file=sys.stderr)\n7")
    report["captured"] = run(client, "cap.stdout, cap.stderr")
    report["captured_show"] = run(client, "cap.show()")
    report["writefile"] = [run(client, "%%writefile hello.py\nprint('hi')"), run(client, "%%writefile hello.py\nprint('hi')\n"),
                           run(client, "%%writefile -a hello.py\nprint('more')")]
    report["written"] = run(client, "open('hello.py').read()")
    report["unknown_cell_magic"] = run(client, "%%nosuch\n1")
    report["cell_time_error"] = run(client, "%%time\ny = 1\nundefined_name")
    report["timeit_options"] = run(client, "%%timeit -n1 -r1 total = 0\ntotal += 1")
    report["capture_error"] = run(client, "%%capture failed\nprint('hi')\n1 / 0")
    report["captured_error"] = run(client, "failed.stdout")
    report["append_new"] = run(client, "%%writefile -a new.txt\nx")
    report["tensor"] = run(client, "import torch\ntorch.tensor([[1.0, 2.5]]) < 2")
    asked = client.execute("name = input('Name? ')\nprint('Hi', name)", allow_stdin=True)
    report["input_prompt"] = client.get_stdin_msg(timeout=TIMEOUT)["content"]["prompt"]
    client.input("Ada")
    shell_reply(client)
    report["input_output"] = "".join(c["text"] for t, c in outputs(client, asked) if t == "stream")
    report["input_without_stdin"] = run(client, "input()", allow_stdin=False)
    return report


def download(client, process, info, stderr):
    """A checkpoint file downloaded in a cell (HF_ENDPOINT is a fake hub): its progress bar is the cell's stderr."""
    msg_id = client.execute("from transformers import AutoConfig\nconfig = AutoConfig.from_pretrained('acme/tiny')\n"
                            "config.model_type")
    shell_reply(client)
    seen = outputs(client, msg_id)
    return {"stderr_pieces": [c["text"] for t, c in seen if t == "stream" and c["name"] == "stderr"],
            "result": [c["data"]["text/plain"] for t, c in seen if t == "execute_result"]}


SCENARIOS = {f.__name__: f for f in (kernel_info, execute, error, complete, inspect, is_complete, interrupt, model, flood,
                                      shutdown, bad_signature, line_commands, download)}


def installed(name):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    specs = KernelSpecManager().get_all_specs()
    manager = KernelManager(kernel_name=name)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)
        cell = run(client, "print('from the kernelspec')\n6 * 7")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)
    return {"spec": specs.get(name), "cell": cell, "alive_after_shutdown": manager.is_alive()}


def notebook(name, path):
    import nbclient
    import nbformat

    book = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(book, kernel_name=name, timeout=TIMEOUT, allow_errors=True).execute()
    nbformat.validate(book)

    def summary(output):
        """The output's fields the tests compare, all strings."""
        kind = output["output_type"]
        if kind == "stream":
            return {"output_type": kind, "name": output["name"], "text": output["text"]}
        if kind == "execute_result":
            return {"output_type": kind, "text/plain": output["data"]["text/plain"],
                    "execution_count": str(output["execution_count"])}
        if kind == "error":
            return {"output_type": kind, "ename": output["ename"], "evalue": output["evalue"]}
        return {"output_type": kind}

    return {"cells": [{"execution_count": cell["execution_count"], "outputs": [summary(o) for o in cell["outputs"]]}
                      for cell in book.cells if cell.cell_type == "code"]}


def main():
    if sys.argv[1] == "--nbclient":
        print(json.dumps(notebook(sys.argv[2], sys.argv[3])))
        return
    if sys.argv[1] == "--installed":
        print(json.dumps(installed(sys.argv[2])))
        return
    binary, scenario = sys.argv[1], sys.argv[2]
    process, client, info, stderr = start(binary)
    try:
        print(json.dumps(SCENARIOS[scenario](client, process, info, stderr)))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        client.stop_channels()


if __name__ == "__main__":
    main()
