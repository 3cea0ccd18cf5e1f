# Entry points for a fresh machine. `make test` is the command CI runs (see .ci/run).
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev libsentencepiece-dev libhdf5-dev pkg-config

.PHONY: deps build test test-unit embed

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
# parity suites again on the portable GEMM path (OpenBLAS only), as on a CPU without AVX-512.
test: deps
	KERAS_HUB_RUN_LARGE=1 $(SWIFT) test
	KERAS_HUB_NO_AVX512=1 KERAS_HUB_RUN_LARGE=1 $(SWIFT) test --filter 'Parity|BundledPreset|Generation'

# Unit tier only.
test-unit: deps
	$(SWIFT) test

# Sentence embeddings with the bundled all-MiniLM-L6-v2 preset: make embed TEXT="..."
TEXT ?= The quick brown fox jumps over the lazy dog.
embed: deps
	$(SWIFT) run -c release keras-hub embed "$(TEXT)"
