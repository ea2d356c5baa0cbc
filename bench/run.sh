#!/usr/bin/env bash
# `make bench`: sbpl against PyTorch + transformers and ONNX Runtime on the same files. Each contender runs as a
# fresh process, the contenders interleaved over three rounds (this machine's timings drift by 10-20% between
# runs; each keeps its best), OpenBLAS variables unset as on users' machines. Prints the timings, the ratios, each
# forward pass's share of the machine's FMA (and bfloat16 dot product) ceiling, the accuracy of the int8 and
# bfloat16 paths, each pipeline's time per input
# and peak memory, and (`load`) the float32 forward passes again with another program keeping one core busy. Arguments
# name the groups to run (model tokenizer generate pipelines startup accuracy load; all by default), e.g.
# `bench/run.sh pipelines`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${REF_VENV:-$HOME/.cache/sbpl-ref-venv}/bin/python
SBPL=.build/release/sbpl
MINILM=${SBPL_MINILM_DIR:-$HOME/.cache/sbpl/all-MiniLM-L6-v2}
BENCH=$HOME/.cache/sbpl/bench
CKPT=$BENCH/distilbert-random
CLASSIFIER=$BENCH/distilbert-classifier-random
GPT2=$BENCH/gpt2-random
TASKS=Tests/ModelsTests/Fixtures/tasks
GROUPS_RUN=" ${*:-model tokenizer generate pipelines startup accuracy load} "
wants() { [[ $GROUPS_RUN == *" $1 "* ]]; }
[ -f "$CKPT/model.safetensors" ] || "$PY" bench/make_checkpoint.py distilbert "$CKPT"
[ -f "$CLASSIFIER/model.safetensors" ] || "$PY" bench/make_checkpoint.py distilbert-classifier "$CLASSIFIER"
[ -f "$GPT2/model.safetensors" ] || "$PY" bench/make_checkpoint.py gpt2 "$GPT2"
# one checkpoint per pipeline task, with the tokenizer each model is sized to
for entry in sentiment:$MINILM fill-mask:$MINILM ner:$MINILM qa:$MINILM nli:$MINILM gpt2:$TASKS/tiny-gpt2 \
             bart:$TASKS/tiny-bart-cnn t5:$TASKS/tiny-t5; do
  kind=${entry%%:*} tokenizer=${entry#*:}
  [ -f "$BENCH/pipeline-$kind/model.safetensors" ] || "$PY" bench/make_checkpoint.py "pipeline-$kind" "$BENCH/pipeline-$kind" "$tokenizer"
done
"$PY" -c 'import onnxruntime' 2>/dev/null || "$PY" -m pip install --quiet onnxruntime onnx onnxscript
"$PY" bench/ort_model.py "$CKPT" int8 > /dev/null 2>&1  # exports (and quantizes) once, outside the timings
clang -O2 -mavx2 -mfma -pthread bench/fma_peak.c -o "$BENCH/fma_peak"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
LOG=$(mktemp)
trap 'kill ${busy:-} 2> /dev/null || true; rm -f "$LOG"' EXIT
# contender name, then its command; a contender's lines are prefixed with its name
contenders=(
  "sbpl|$SBPL bench/model.sbpl $CKPT" "pytorch|$PY bench/model.sbpl $CKPT" "ort|$PY bench/ort_model.py $CKPT fp32"
  "sbpl-qint8|$SBPL bench/model.sbpl $CKPT qint8" "pytorch-qint8|$PY bench/model.sbpl $CKPT qint8"
  "ort-int8|$PY bench/ort_model.py $CKPT int8"
  "sbpl-bf16|$SBPL bench/model.sbpl $CKPT bf16" "pytorch-bf16|$PY bench/model.sbpl $CKPT bf16"
  "sbpl|env TOKENIZERS_PARALLELISM=true $SBPL bench/tokenizer.sbpl $MINILM"
  "pytorch|env TOKENIZERS_PARALLELISM=true $PY bench/tokenizer.sbpl $MINILM"
  "sbpl|env TOKENIZERS_PARALLELISM=false $SBPL bench/tokenizer.sbpl $MINILM"
  "pytorch|env TOKENIZERS_PARALLELISM=false $PY bench/tokenizer.sbpl $MINILM"
  "sbpl|$SBPL bench/generate.sbpl $GPT2" "pytorch|$PY bench/generate.sbpl $GPT2"
  "sbpl|$SBPL bench/pipelines.sbpl $BENCH" "pytorch|$PY bench/pipelines.sbpl $BENCH"
)
for round in 1 2 3; do
  "$BENCH/fma_peak" >> "$LOG"
  for entry in "${contenders[@]}"; do
    name=${entry%%|*} command=${entry#*|}
    script=$(basename "$(echo "$command" | grep -oE '[a-z_]+\.(sbpl|py)' | head -1)" | cut -d. -f1)
    wants "${script/ort_model/model}" || continue
    /usr/bin/time -f "peak $script %M KiB" $command 2>&1 \
      | grep -E "^(tokenizer|forward|generate|pipeline|peak)" | sed "s/^/$name /" >> "$LOG"
  done
  # under load: each float32 contender beside a busy loop on one core (another program's work), named `<name>-loaded`
  for entry in "${contenders[@]:0:3}"; do
    wants load || break
    name=${entry%%|*} command=${entry#*|}
    (while :; do :; done) & busy=$!
    $command 2>&1 | grep -E "^forward" | sed "s/^/$name-loaded /" >> "$LOG"
    kill $busy && unset busy
  done
  wants startup || continue
  for side in sbpl python; do  # start-up: twenty runs of printing 1
    cmd=$([ $side = sbpl ] && echo "$SBPL" || echo "$PY")
    start=$(date +%s%N); for i in $(seq 20); do $cmd -c 'print(1)' > /dev/null; done; end=$(date +%s%N)
    echo "$([ $side = sbpl ] && echo sbpl || echo pytorch) startup: $(( (end - start) / 20000 )) us" >> "$LOG"
  done
done
for side in $(wants accuracy && echo sbpl pytorch); do
  cmd=$([ $side = sbpl ] && echo "$SBPL" || echo "$PY")
  $cmd bench/accuracy.sbpl "$CLASSIFIER" "$MINILM" 2>/dev/null | sed "s/^/$side /" >> "$LOG"
done
"$PY" bench/report.py "$LOG"
