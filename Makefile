# wasmpeer: `make run` starts the device, `make test` runs every test. Both work from a fresh clone.
SHELL := /bin/bash
NPM_STAMP := node_modules/.install-stamp
ASC := node_modules/.bin/asc
CORE_SRC := $(shell find assembly -name '*.ts') asconfig.json
HOST_SRC := $(shell find host test bench scripts -name '*.ts' -o -name '*.mjs' -o -name '*.html' -o -name '*.css' 2>/dev/null)

.PHONY: all build run test test-unit test-node test-boards typecheck bench clean deps system-deps

all: build

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(NPM_STAMP)

# Debian packages the tests talk to (real peers and reference implementations), installed when missing.
SYSTEM_DEPS := openssl chromium:/usr/bin/chromium coturn:turnserver libsrtp2-dev:/usr/include/srtp2/srtp.h ffmpeg
system-deps:
	bash scripts/ensure-packages.sh $(SYSTEM_DEPS)

build/core-pure.wasm: $(NPM_STAMP) $(CORE_SRC)
	@mkdir -p build
	$(ASC) assembly/index.ts --target pure
	node scripts/check-wasm.mjs $@

build/core-host.wasm: $(NPM_STAMP) $(CORE_SRC)
	@mkdir -p build
	$(ASC) assembly/index.ts --target host
	node scripts/check-wasm.mjs $@

build/js/.stamp: $(NPM_STAMP) $(HOST_SRC)
	node scripts/bundle.mjs
	@touch $@

build/test/.stamp: $(NPM_STAMP) $(CORE_SRC) $(shell find test/core -name '*.ts')
	node scripts/build-test-entries.mjs
	node scripts/check-wasm.mjs build/test/*.wasm > /dev/null
	@touch $@

build: build/core-pure.wasm build/core-host.wasm build/js/.stamp

run: build
	node build/js/host/cli.mjs $(ARGS)

typecheck: $(NPM_STAMP)
	node_modules/.bin/tsc --noEmit -p tsconfig.json

test-unit: $(NPM_STAMP)
	node_modules/.bin/asp --config as-pect.config.js

test-boards: build build/test/.stamp
	bash scripts/test-boards.sh

test-node: build build/test/.stamp
	node --test --test-reporter=spec $(shell find build/js/test -name '*.test.mjs' | sort)

test: system-deps build build/test/.stamp typecheck test-unit test-boards test-node

bench: build build/test/.stamp
	node build/js/bench/bench.mjs

clean:
	rm -rf build
