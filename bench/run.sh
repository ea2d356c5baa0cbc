#!/usr/bin/env bash
# `make bench`: sbpl against PyTorch + transformers on the same files, alternating the two sides for three rounds
# (this machine's timings drift by 10-20% between runs; each side keeps its best), OpenBLAS variables unset as
# on users' machines. Prints the timings, the ratios and each side's peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${REF_VENV:-$HOME/.cache/sbpl-ref-venv}/bin/python
SBPL=.build/release/sbpl
MINILM=${SBPL_MINILM_DIR:-$HOME/.cache/sbpl/all-MiniLM-L6-v2}
CKPT=$HOME/.cache/sbpl/bench/distilbert-random
GPT2=$HOME/.cache/sbpl/bench/gpt2-random
[ -f "$CKPT/model.safetensors" ] || "$PY" bench/make_checkpoint.py distilbert "$CKPT"
[ -f "$GPT2/model.safetensors" ] || "$PY" bench/make_checkpoint.py gpt2 "$GPT2"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
LOG=$(mktemp)
for round in 1 2 3; do
  for side in sbpl python; do
    cmd=$([ $side = sbpl ] && echo "$SBPL" || echo "$PY")
    for bench in tokenizer:$MINILM model:$CKPT generate:$GPT2; do
      /usr/bin/time -f "peak ${bench%%:*} %M KiB" $cmd bench/${bench%%:*}.sbpl "${bench#*:}" 2>&1 \
        | grep -E "^(tokenizer|forward|generate|peak)" | sed "s/^/$side /" >> "$LOG"
    done
  done
done
"$PY" - "$LOG" <<'PYEOF'
import re, sys
best, peak = {}, {}
for line in open(sys.argv[1]):
    side, rest = line.split(" ", 1)
    if m := re.match(r"peak (\w+) (\d+) KiB", rest):
        peak[(side, m.group(1))] = max(peak.get((side, m.group(1)), 0), int(m.group(2)))
    elif m := re.match(r"(tokenizer|forward [\dx]+|generate [^:]+).*?([\d.]+) (s|ms)$", rest.strip()):
        key = (side, m.group(1))
        best[key] = min(best.get(key, 1e18), float(m.group(2)))
names = sorted({name for _, name in best}, key=lambda n: (n != "tokenizer", n))
print(f"{'':20s} {'sbpl':>10s} {'PyTorch':>10s}  ratio (below 1: sbpl faster)")
for name in names:
    unit = "s" if name == "tokenizer" else "ms"
    s, p = best[("sbpl", name)], best[("python", name)]
    print(f"{name:20s} {s:9.3f}{unit:>1s} {p:9.3f}{unit:>1s}  {s / p:.2f}")
for what in ("tokenizer", "model", "generate"):
    print(f"peak memory, {what}: sbpl {peak[('sbpl', what)] // 1024} MiB, PyTorch {peak[('python', what)] // 1024} MiB")
PYEOF
rm -f "$LOG"
