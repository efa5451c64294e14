# Taskyard — every entry point a user or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help deps build test test-unit test-unit-lts test-kube e2e demo demo-down bench crds clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

deps: ## install Node packages, redis-server and redis-sentinel when missing
	@scripts/ensure-deps.sh

build: deps ## compile every workspace (strict TypeScript)
	@npx tsc -b

crds: build ## regenerate crds/*.yaml and the chart's CRD templates from api/
	@node api/dist/src/generate-crds.js

test: build ## all tests: unit + real Redis, Sentinel and Cluster (machine's Node, then the images' Node), then the operator on a real control plane
	@scripts/with-redis.sh scripts/run-tests.sh unit
	@$(MAKE) --no-print-directory test-unit-lts
	@$(MAKE) --no-print-directory test-kube

test-unit: build ## unit and Redis tests only (with a real Sentinel group and Cluster)
	@scripts/with-redis.sh scripts/run-tests.sh unit

test-unit-lts: build ## the unit tier on the Node LTS the images ship (fetched once by scripts/ensure-node.sh)
	@scripts/with-redis.sh scripts/run-tests.sh --node "$$(scripts/ensure-node.sh)" unit

test-kube: build ## tests that need the control-plane tier (started and stopped here)
	@scripts/with-cluster.sh control-plane scripts/with-redis.sh scripts/run-tests.sh kube

e2e: build ## node-tier smoke suite and the end-to-end suite on a real cluster
	@scripts/with-cluster.sh node $(MAKE) --no-print-directory -C e2e run

demo: ## bring up a cluster, build images, install the chart, run sample tasks
	@scripts/demo.sh up

demo-down: ## remove what `make demo` created
	@scripts/demo.sh down

bench: build ## run the benchmarks; figures go to bench/results/
	@$(MAKE) --no-print-directory -C bench all

clean: ## remove build output
	@npx tsc -b --clean
