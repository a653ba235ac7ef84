#!/bin/sh
# Installs the tools the verification suite runs, pinned, into .tools/venv (ignored by git).
# Idempotent: when the installed set matches Tests/verify/requirements.txt, it installs nothing.
set -eu
cd -- "$(dirname -- "$0")/.."
venv=.tools/venv
requirements=Tests/verify/requirements.txt
stamp="$venv/.keyway-requirements"
if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements" && [ -x "$venv/bin/bao" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
# Fail loudly, never skip: every tool the suite calls must be there.
for tool in bao kubernetes-validate shellcheck pre-commit pytest checkov; do
  [ -x "$venv/bin/$tool" ] || { echo "test-tools: $tool did not install" >&2; exit 1; }
done
cp "$requirements" "$stamp"
echo "test-tools: installed the pinned tools into $venv" >&2
