#!/bin/sh
# Rewrites every golden: golden/<name>/ from specs/*.yaml, specs/*.stderr (the warnings of each
# valid spec), specs/invalid/*.stderr and schema/keyway.schema.json (`compile schema`). It runs
# the golden tests' own regeneration (KEYWAY_REGENERATE=1), which must fail, then the same tests
# without it, which must pass.
# Review `git diff golden/ specs/ schema/` like code before committing.
set -eu
cd -- "$(dirname -- "$0")/.."
swift build --build-tests -Xswiftc -warnings-as-errors
if KEYWAY_REGENERATE=1 swift test --skip-build --filter 'GoldenTests|SchemaTests' >/dev/null 2>&1; then
  echo "KEYWAY_REGENERATE=1 passed: a regeneration must fail the run" >&2
  exit 1
fi
swift test --skip-build --filter 'GoldenTests|SchemaTests'
echo "goldens rewritten: review 'git diff golden/ specs/ schema/'" >&2
