#!/bin/sh
# libFuzzer over the whole pipeline, seeded with specs/ and specs/invalid/.
# `sh scripts/fuzz.sh [SECONDS]` (default 60). Crashes land in .build-fuzz/crash-*; exit non-zero then.
set -eu
cd -- "$(dirname -- "$0")/.."
seconds=${1:-60}
out=.build-fuzz
mkdir -p "$out/corpus"
cp specs/*.yaml specs/invalid/*.yaml Tests/fixtures/*.yaml "$out/corpus/"
# shellcheck disable=SC2046
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name KeywayCore \
  -I Sources/CLibYAML -lyaml \
  $(find Sources/KeywayCore -name '*.swift' | sort) Fuzz/FuzzTarget.swift \
  -o "$out/keyway-fuzz" 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 1; }
status=0
"$out/keyway-fuzz" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus" >"$out/fuzz.log" 2>&1 || status=$?
tail -n 25 "$out/fuzz.log"
exit "$status"
