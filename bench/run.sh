#!/usr/bin/env bash
# `make bench`: sbpl against PyTorch + transformers on the same files, in one run, OpenBLAS variables unset (as on
# users' machines). Prints each side's timings, the ratios and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${REF_VENV:-$HOME/.cache/sbpl-ref-venv}/bin/python
SBPL=.build/release/sbpl
MINILM=${SBPL_MINILM_DIR:-$HOME/.cache/sbpl/all-MiniLM-L6-v2}
CKPT=$HOME/.cache/sbpl/bench/distilbert-random
[ -f "$CKPT/model.safetensors" ] || "$PY" bench/make_checkpoint.py "$CKPT"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
run() { # label, command...: prints the command's output and its peak memory
  local label=$1; shift
  /usr/bin/time -f "$label peak memory: %M KiB" "$@" 2>&1 | grep -v -i -E "warn|deprecat|^$|torch_dtype"
}
for side in sbpl python; do
  cmd=$([ $side = sbpl ] && echo "$SBPL" || echo "$PY")
  run "$side tokenizer" $cmd bench/tokenizer.sbpl "$MINILM" | sed "s/^/$side: /" | tee -a /tmp/sbpl-bench.$$
  run "$side model" $cmd bench/model.sbpl "$CKPT" | sed "s/^/$side: /" | tee -a /tmp/sbpl-bench.$$
done
"$PY" - /tmp/sbpl-bench.$$ <<'PYEOF'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\w+): (tokenizer|forward [\dx]+).*?([\d.]+) (s|ms)$", line.strip())
    if m:
        rows.setdefault(m.group(2), {})[m.group(1)] = float(m.group(3))
print("\nsbpl time / PyTorch+transformers time (below 1 = sbpl faster):")
for name, sides in rows.items():
    print(f"  {name:18s} {sides['sbpl'] / sides['python']:.2f}")
PYEOF
rm -f /tmp/sbpl-bench.$$
