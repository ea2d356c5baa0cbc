"""Summarises `make bench`'s log (bench/run.sh): each contender's best time per measurement, the ratios the
performance goals are stated in, each float32 forward pass's share of the machine's FMA ceiling (and each bfloat16
one's share of its bfloat16 dot product ceiling), the reduced-precision paths' accuracy, start-up, each pipeline's time
per input, peak memory, and the float32 forward passes under load against their unloaded times. Usage: report.py LOG"""
import re
import sys

best, peak, accuracy = {}, {}, {}
ceilings = {"fma": 0.0, "bf16": 0.0}
for line in open(sys.argv[1]):
    line = line.strip()
    if m := re.match(r"(fma|bf16) peak: ([\d.]+) GFLOP/s", line):
        ceilings[m.group(1)] = max(ceilings[m.group(1)], float(m.group(2)))
        continue
    side, rest = line.split(" ", 1)
    if m := re.match(r"peak (\w+) (\d+) KiB", rest):
        peak[(side, m.group(1))] = max(peak.get((side, m.group(1)), 0), int(m.group(2)))
    elif m := re.match(r"accuracy (\w+): ([\d.]+)", rest):
        accuracy[(side, m.group(1))] = float(m.group(2))
    elif m := re.match(r"(tokenizer[^:]*?|forward [\dx]+|generate [^:]+|pipeline [^:]+|startup):.*?([\d.]+) (s|ms|us)$", rest):
        name = m.group(1)
        scale = {"s": 1000.0, "ms": 1.0, "us": 0.001}[m.group(3)]
        key = (side, name)
        best[key] = min(best.get(key, 1e18), float(m.group(2)) * scale)


def time(side, name):
    return best.get((side, name))


def ratio(a, b):
    return f"{a / b:5.2f}" if a and b else "    -"


def share(flops, ms, ceiling):
    return f"{flops / (ms * 1e-3) / 1e9 / ceiling * 100:5.1f}%" if ms and ceiling else "    -"


shapes = sorted({n for _, n in best if n.startswith("forward")}, key=lambda n: [int(x) for x in n.split()[1].split("x")])
sides = ["sbpl", "pytorch", "ort", "sbpl-qint8", "pytorch-qint8", "ort-int8", "sbpl-bf16", "pytorch-bf16"]
if any(time(side, shape) for side in sides for shape in shapes):  # the model group ran
    print(f"forward pass (ms)    {'sbpl':>8s} {'PyTorch':>8s} {'ORT':>8s} {'sbpl q8':>8s} {'PT q8':>8s} {'ORT q8':>8s} {'sbpl bf':>8s}"
          f" {'PT bf16':>8s}   sbpl/ORT sbpl/PT q8/ORTq8 q8/PTq8 bf/PTbf  FMA share bf16 share")
    for shape in shapes:
        batch, length = (int(x) for x in shape.split()[1].split("x"))
        # DistilBERT: 6 layers of four 768x768 and two 768x3072 projections per token, and attention's two products
        flops = 6 * 2 * (batch * length * (4 * 768 * 768 + 2 * 768 * 3072) + batch * 2 * length * length * 768)
        t = {side: time(side, shape) for side in sides}
        cells = " ".join(f"{v:8.1f}" if v else f"{'-':>8s}" for v in t.values())
        print(f"{shape:20s} {cells}   {ratio(t['sbpl'], t['ort'])}    {ratio(t['sbpl'], t['pytorch'])}   "
              f"{ratio(t['sbpl-qint8'], t['ort-int8'])}    {ratio(t['sbpl-qint8'], t['pytorch-qint8'])}   "
              f"{ratio(t['sbpl-bf16'], t['pytorch-bf16'])}     {share(flops, t['sbpl'], ceilings['fma'])}     "
              f"{share(flops, t['sbpl-bf16'], ceilings['bf16'])}")
if any(side.endswith("-loaded") for side, _ in best):
    print("under load (a busy loop on one core beside): float32 forward (ms), and (its ratio to the unloaded time)")
    for shape in shapes:
        cells = "  ".join(f"{side} {loaded:7.1f} ({ratio(loaded, time(side, shape))}x)" for side in ["sbpl", "pytorch", "ort"]
                          if (loaded := time(f"{side}-loaded", shape)))
        print(f"{shape:20s} {cells}")
print(f"FMA ceiling (bench/fma_peak.c): {ceilings['fma']:.1f} GFLOP/s; bfloat16 dot products: {ceilings['bf16']:.1f} GFLOP/s")
for name in sorted({n for _, n in best if not n.startswith("forward")}):
    s, p = time("sbpl", name), time("pytorch", name)
    unit = "ms"
    print(f"{name:28s} sbpl {s:9.2f} {unit}  PyTorch/Python {p:9.2f} {unit}  ratio {ratio(s, p)}" if s and p else f"{name}: {s} {p}")
for (side, what), value in sorted(accuracy.items()):
    print(f"accuracy {what} ({side}): {value:.6f} max abs probability difference from float32")
for script in sorted({s for _, s in peak}):
    used = ", ".join(f"{side} {peak[(side, script)] // 1024} MiB" for side in sides if (side, script) in peak)
    print(f"peak memory, {script}: {used}")
