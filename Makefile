# eksready: `make synth` synthesizes both stacks from cluster.yaml (or the
# built-in default configuration) into cdktf.out/; `make test` runs every
# test. Both do their own set-up.

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
GO ?= go
# Every package of the module except the Go sources some npm packages ship
# in node_modules; the whole-app tests by name (`./...` skips `_` folders).
# __tests__/schemaprovider, the stand-in Helm and tfe provider the terraform
# checks build, is a module of its own, vetted and tested from its folder.
PACKAGES = $(shell $(GO) list ./... | grep -v /node_modules/) ./__tests__/

.PHONY: setup synth test bench docs clean

setup:
	@./scripts/setup.sh

synth: setup
	$(GO) run .

# Go's default 10-minute test timeout is too short for ./__tests__/ on a
# loaded 2-core machine (it synthesizes every fixture, runs terraform on
# each, and the emulated apply adds 10-15 minutes); 40m leaves room for
# that and still stops a hung test.
TEST_TIMEOUT ?= 40m

test: setup
	$(GO) vet $(PACKAGES) ./__tests__/bench/ ./__tests__/bench/floor/
	cd __tests__/schemaprovider && $(GO) vet ./... && $(GO) test -count=1 -timeout 5m ./...
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(PACKAGES)

# The configuration reference, the JSON Schemas of the configuration files
# and the readiness rules page, generated from the code (tools/docgen);
# a test fails while the committed ones are stale. Needs no set-up.
docs:
	$(GO) run ./tools/docgen

bench: setup
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 3x -v ./__tests__/bench/

clean:
	rm -rf cdktf.out .gen
