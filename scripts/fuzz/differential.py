"""Differential fuzzing of sbpl's Python against CPython (issue 13): random pure-Python programs from a small
grammar (numbers of every size, strings, lists, tuples, dicts, sets, slices, comprehensions, f-strings, the
builtins and methods learners use), each statement guarded by `try`/`except` printing the exception's type and
message, run through sbpl and through CPython 3.11; any difference in what they print (or a crash, or a hang) is
reported with the program, as a wrong result, not only a crash.

    python3 scripts/fuzz/differential.py SBPL [--seed N] [--programs N] [--keep DIR] [--crashes-only]

Exit status 1 when a program differs (with --crashes-only: when sbpl crashes, hangs or fails outside the guarded
statements, the only programs it then prints; the others are counted). `make test` runs a fixed seed for a bounded count with --crashes-only;
`make fuzz-differential` compares everything, as long as asked (FUZZ_PROGRAMS, FUZZ_SEED).
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

NAMES = ["a", "b", "c", "s", "xs", "d"]


class Grammar:
    """Random expressions and statements; `depth` bounds nesting."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, *options):
        return self.rng.choice(options)

    def integer(self):
        r = self.rng
        return self.pick(str(r.randint(-9, 9)), str(r.randint(-1000, 1000)), str(r.choice([2**31, 2**63, 2**64, 10**20])),
                         f"-{r.choice([2**63, 2**70])}", "0")

    def number(self):
        r = self.rng
        return self.pick(self.integer(), repr(round(r.uniform(-100, 100), r.randint(0, 4))), "0.1", "1e300", "-0.0",
                         "float('inf')", "float('nan')", "2.5", "1e-7")

    def string(self):
        return repr(self.pick("", "a", "Hello World", "  padded  ", "a,b,,c", "ß", "ﬁ", "MiXeD", "123", "x\ty", "é"))

    def atom(self, depth):
        kinds = [self.number, self.string, lambda: self.pick("True", "False", "None"), lambda: self.pick(*NAMES)]
        if depth > 0:
            kinds += [lambda: self.collection(depth - 1)] * 2
        return self.rng.choice(kinds)()

    def collection(self, depth):
        items = ", ".join(self.expr(depth) for _ in range(self.rng.randint(0, 3)))
        return self.pick(f"[{items}]", f"({items},)", f"{{{items}}}" if items else "set()",
                         f"{{{', '.join(f'{self.string()}: {self.expr(depth)}' for _ in range(self.rng.randint(0, 2)))}}}",
                         f"[{self.expr(depth)} for i in range({self.rng.randint(0, 4)})]")

    def expr(self, depth=2):
        if depth <= 0:
            return self.atom(0)
        e = lambda: self.expr(depth - 1)
        forms = [
            lambda: self.atom(depth),
            lambda: f"({e()} {self.pick('+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^')} {e()})",
            lambda: f"({e()} {self.pick('==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is')} {e()})",
            lambda: f"({self.pick('-', 'not ', '~', '+')}{e()})",
            lambda: f"{self.pick('abs', 'len', 'str', 'repr', 'int', 'float', 'bool', 'list', 'tuple', 'sorted', 'sum', 'min', 'max', 'round', 'hex', 'bin', 'oct', 'ord', 'chr', 'set', 'reversed', 'enumerate', 'hash', 'type')}({e()})",
            lambda: f"{self.pick('round', 'divmod', 'pow', 'max', 'min', 'isinstance', 'zip', 'range')}({e()}, {self.pick(e(), 'int', 'str', '2')})",
            lambda: f"{e()}.{self.pick('upper', 'lower', 'strip', 'split', 'title', 'capitalize', 'swapcase', 'isdigit', 'keys', 'values', 'items', 'copy', 'count', 'index', 'pop', 'bit_length', 'is_integer')}()",
            lambda: f"{e()}.{self.pick('split', 'join', 'replace', 'find', 'startswith', 'endswith', 'get', 'count', 'index', 'append', 'add', 'zfill', 'center')}({e()})",
            lambda: f"{e()}[{e()}]",
            lambda: f"{e()}[{self.pick('', e())}:{self.pick('', e())}{self.pick('', ':' + e())}]",
            lambda: f"f'{{{e()}{self.pick('', '!r', ':>8', ':.3f', ':,', ':x', ':e', ':08.2f', ':^7')}}}'",
            lambda: f"({e()} if {e()} else {e()})",
        ]
        return self.rng.choice(forms)()

    def statement(self):
        target = self.pick(*NAMES)
        body = self.pick(f"{target} = {self.expr()}", f"print({self.expr()})", f"print(repr({self.expr()}))",
                         f"{target} += {self.expr(1)}", f"del {target}[{self.expr(1)}]", f"print({target})")
        return f"try:\n    {body}\nexcept Exception as e:\n    print(type(e).__name__, e)\n"

    def program(self, statements=12):
        setup = "a = 7\nb = 2.5\nc = -3\ns = 'Hello World'\nxs = [3, 1, 2]\nd = {'k': 1, 'j': [1, 2]}\n"
        return setup + "".join(self.statement() for _ in range(statements))


def run(command, path, timeout=20):
    try:
        r = subprocess.run(command + [path], capture_output=True, text=True, timeout=timeout,
                           env={**os.environ, "PYTHONHASHSEED": "0"})
        return r.stdout, r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        return None, "timeout", ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sbpl")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--programs", type=int, default=100)
    parser.add_argument("--keep", help="a folder to write the programs that differ to")
    parser.add_argument("--crashes-only", action="store_true", help="fail only on crashes, hangs and failed runs")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    grammar = Grammar(rng)
    differing = broken = 0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.programs):
            source = grammar.program()
            path = os.path.join(folder, f"p{n}.py")
            with open(path, "w") as f:
                f.write(source)
            expected, expected_status, _ = run([sys.executable], path)
            if expected is None or expected_status != 0:
                continue  # CPython itself hung or failed outside the guarded statements: not a comparison
            got, status, err = run([args.sbpl], path)
            if got != expected or status != 0:
                differing += 1
                broken += status != 0
                if args.crashes_only and status == 0:
                    continue
                print(f"--- program {n} (seed {args.seed}) differs: status {status}\n{source}")
                for line_got, line_expected in zip((got or "").splitlines(), expected.splitlines()):
                    if line_got != line_expected:
                        print(f"sbpl:   {line_got}\npython: {line_expected}")
                        break
                if err:
                    print("sbpl stderr:", err.strip()[-500:])
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    with open(os.path.join(args.keep, f"seed{args.seed}-p{n}.py"), "w") as f:
                        f.write(source)
    print(f"{args.programs} programs, {differing} differing, {broken} with sbpl crashing, hanging or failing")
    sys.exit(1 if (broken if args.crashes_only else differing) else 0)


if __name__ == "__main__":
    main()
