#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ (instrumented with -sanitize=fuzzer) and runs each for SECONDS seconds,
# then prints one line per harness: executions, corpus size, and the crashes, timeouts and out-of-memory inputs
# found. Exits 1 when a harness found a crash. Everything it writes is under .build/fuzz, outside git:
#   seeds/HARNESS      the seed corpus, made anew each run from the examples and the test fixtures (a new fixture
#                      feeds the fuzzers with no list to update)
#   corpus/HARNESS     the inputs libFuzzer found interesting, kept from run to run
#   artifacts/HARNESS  crash-*, timeout-* and oom-* inputs; replay one with Fuzz/.build/debug/FuzzHARNESS FILE
#   HARNESS.log        libFuzzer's output
# Usage: scripts/fuzz/libfuzzer.sh SECONDS [HARNESS...]   (harnesses: Language Safetensors Tokenizers Config Notebook)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?usage: scripts/fuzz/libfuzzer.sh SECONDS [HARNESS...]}
shift
harnesses=${*:-Language Safetensors Tokenizers Config Notebook}
work=$PWD/.build/fuzz

# The longest input libFuzzer makes for a harness: room for the examples, the small fixture models, the notebooks.
max_len() {
  case $1 in
    Safetensors|Tokenizers) echo 65536 ;;
    Config) echo 4096 ;;
    *) echo 8192 ;;
  esac
}

# The libFuzzer dictionary of tokens a harness's mutations splice in (Fuzz/Dictionaries).
dictionary() {
  case $1 in
    Language) echo Fuzz/Dictionaries/python.dict ;;
    *) echo Fuzz/Dictionaries/json.dict ;;
  esac
}

# seed HARNESS FILE...: copies each file no longer than the harness's max_len into seeds/HARNESS, named by content.
seed() {
  local harness=$1
  shift
  mkdir -p "$work/seeds/$harness"
  for file in "$@"; do
    [ "$(stat -c %s "$file")" -le "$(max_len "$harness")" ] || continue
    cp "$file" "$work/seeds/$harness/$(sha1sum < "$file" | cut -c1-16)"
  done
}

"${SWIFT:-swift}" build --package-path Fuzz -c debug -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
rm -rf "$work/seeds" "$work/scratch"
seed Language examples/*.sbpl $(find Tests -name '*.sbpl')
seed Safetensors $(find Tests -name '*.safetensors')
seed Tokenizers $(find Tests -name tokenizer.json -o -name vocab.txt -o -name '*.spm')
seed Config $(find Tests -name config.json)
seed Notebook $(find Tests -name '*.ipynb')
export SBPL_FUZZ_SCRATCH=$work/scratch
# libFuzzer's own signal handlers, not Swift's backtracer, must see a crash: they write the crash-* input
export SWIFT_BACKTRACE=enable=no

failed=0
for harness in $harnesses; do
  mkdir -p "$work/corpus/$harness" "$work/artifacts/$harness"
  # fork mode: an input that times out or runs out of memory is recorded and the run goes on; a crash stops it
  touch "$work/started"
  status=0
  "Fuzz/.build/debug/Fuzz$harness" "$work/corpus/$harness" "$work/seeds/$harness" -fork=1 -max_total_time="$seconds" \
    -max_len="$(max_len "$harness")" -dict="$(dictionary "$harness")" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/$harness/" \
    > "$work/$harness.log" 2>&1 || status=$?
  # the last stats line: "#EXECUTIONS: cov: ... corp: INPUTS ... oom/timeout/crash: O/T/C ..."
  stats=$(grep -E '^#[0-9]+: cov' "$work/$harness.log" | tail -1 || true)
  read -r executions inputs ooms timeouts <<< \
    "$(sed -E 's|^#([0-9]+):.* corp: ([0-9]+).* oom/timeout/crash: ([0-9]+)/([0-9]+)/.*|\1 \2 \3 \4|' <<< "$stats")"
  # a seed or corpus input that crashes is left out of fork mode's first merge, uncounted, but its crash-* is written
  crashes=$(find "$work/artifacts/$harness" -name 'crash-*' -newer "$work/started" | wc -l)
  echo "fuzz $harness: ${executions:-0} executions in ${seconds}s, corpus ${inputs:-0} inputs;" \
    "$crashes crashes, ${timeouts:-?} timeouts, ${ooms:-?} out of memory (libFuzzer status $status, log $work/$harness.log)"
  if [ "$status" != 0 ] || [ "$crashes" != 0 ]; then failed=1; fi
done
rm -rf "$work/scratch" "$work/started"
exit $failed
