# raif: the two commands of the README, plus their parts.
#
#   make demo   set up, build release, start `raif serve` on the default model, send a demo request, stop
#   make test   set up, lint (swift format), build, run every Swift test and the Python tests against a live server

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := demo

SWIFT ?= swift
PYTHON ?= python3
RAIF_CACHE ?= $(HOME)/.cache/raif
MODEL ?= $(RAIF_CACHE)/models/SmolLM2-135M-Instruct.Q4_1.gguf

.PHONY: demo test setup build build-release lint swift-test python-test

setup:
	RAIF_CACHE="$(RAIF_CACHE)" ./scripts/setup.sh

build-release: setup
	$(SWIFT) build -c release --product raif

build: setup
	$(SWIFT) build

demo: build-release
	MODEL="$(MODEL)" RAIF_BIN="$$($(SWIFT) build -c release --show-bin-path)/raif" ./scripts/demo.sh

swift-test: build
	$(SWIFT) test

python-test: build
	RAIF_BIN="$$($(SWIFT) build --show-bin-path)/raif" $(PYTHON) -m unittest discover -s Examples/python -p 'test_*.py' -v

# swift format (configuration in .swift-format): any warning fails the test run.
lint:
	$(SWIFT) format lint --strict --recursive Sources Protocol Verifiers Tests Package.swift

test: lint swift-test python-test
