#!/bin/sh
# Rewrites golden/ from specs/*.yaml. Review `git diff golden/` like code before committing.
set -eu
cd -- "$(dirname -- "$0")/.."
swift build --product compile
rm -rf golden
.build/debug/compile specs/*.yaml --out golden
echo "golden/ rewritten: review 'git diff golden/'" >&2
for spec in specs/invalid/*.yaml; do
  if .build/debug/compile "$spec" >/dev/null 2>"${spec%.yaml}.stderr"; then
    echo "$spec compiled: an invalid spec must not" >&2
    exit 1
  fi
done
