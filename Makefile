# eksready: `make synth` synthesizes both stacks from cluster.yaml (or the
# built-in default configuration) into cdktf.out/; `make test` runs every
# test. Both do their own set-up.

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
GO ?= go
# Every package of the module except the Go sources some npm packages ship
# in node_modules; the whole-app tests by name (`./...` skips `_` folders).
# __tests__/schemaprovider, the stand-in Helm provider the terraform checks
# build, is a module of its own, vetted and tested from its folder.
PACKAGES = $(shell $(GO) list ./... | grep -v /node_modules/) ./__tests__/

.PHONY: setup synth test bench clean

setup:
	@./scripts/setup.sh

synth: setup
	$(GO) run .

test: setup
	$(GO) vet $(PACKAGES) ./__tests__/bench/ ./__tests__/bench/floor/
	cd __tests__/schemaprovider && $(GO) vet ./... && $(GO) test -count=1 ./...
	$(GO) test -count=1 $(PACKAGES)

bench: setup
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 3x -v ./__tests__/bench/

clean:
	rm -rf cdktf.out .gen
