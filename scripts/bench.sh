#!/bin/sh
# The benchmark: `sh scripts/bench.sh`. Writes docs/performance-results.md and docs/performance.png.
set -eu
cd -- "$(dirname -- "$0")/.."
sh scripts/test-tools.sh
command -v /usr/bin/time >/dev/null 2>&1 || apt-get install -y -q time >/dev/null
.tools/venv/bin/python -c 'import matplotlib' 2>/dev/null || .tools/venv/bin/pip install --quiet matplotlib==3.10.7
exec .tools/venv/bin/python scripts/bench.py
