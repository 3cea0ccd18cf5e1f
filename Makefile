# Entry points for a fresh machine. `make test` is the command CI runs (see .ci/run).
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev libsentencepiece-dev libhdf5-dev pkg-config

SPARK_VENV := .venv-spark

.PHONY: deps build test test-unit test-server test-spark spark-env server embed

# Installs the two C libraries the package links, when they are missing (Debian/Ubuntu).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release

# Unit tier plus the large tier (the bundled real preset against transformers' numbers), then the
# parity suites again on the portable GEMM path (OpenBLAS only), as on a CPU without AVX-512; then
# the server package's tests and the Spark job's.
test: deps
	KERAS_HUB_RUN_LARGE=1 $(SWIFT) test
	KERAS_HUB_NO_AVX512=1 KERAS_HUB_RUN_LARGE=1 $(SWIFT) test --filter 'Parity|BundledPreset|Generation'
	$(MAKE) test-server
	$(MAKE) test-spark

# keras-hub-server's tests (its own package, Server/): real HTTP on 127.0.0.1.
test-server: deps
	$(SWIFT) test --package-path Server

# The release server binary: Server/.build/release/keras-hub-server.
server: deps
	$(SWIFT) build -c release --package-path Server

# pyspark (and pyarrow) in $(SPARK_VENV), and Java when it is missing.
spark-env:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openjdk-17-jre-headless; }
	@test -x $(SPARK_VENV)/bin/python || python3 -m venv $(SPARK_VENV)
	@$(SPARK_VENV)/bin/python -c "import pyspark, pyarrow" 2>/dev/null || \
	  $(SPARK_VENV)/bin/pip install -q "pyspark>=3.5" pyarrow

# Tools/spark/embed_corpus.py in local[2] against the single-process CLI (release build).
test-spark: deps spark-env
	$(SWIFT) build -c release --product keras-hub
	KERAS_HUB_BINARY=.build/release/keras-hub $(SPARK_VENV)/bin/python Tools/spark/test_embed_corpus.py -v

# Unit tier only.
test-unit: deps
	$(SWIFT) test

# Sentence embeddings with the bundled all-MiniLM-L6-v2 preset: make embed TEXT="..."
TEXT ?= The quick brown fox jumps over the lazy dog.
embed: deps
	$(SWIFT) run -c release keras-hub embed "$(TEXT)"
