#!/bin/sh
# Argo CD Config Management Plugin `generate`: compiles the spec named by the Application's plugin
# env KEYWAY_SPEC (Argo CD passes it as ARGOCD_ENV_KEYWAY_SPEC), relative to the app's source path
# (the working directory), and prints the manifest stream. Every failure exits non-zero, so Argo CD
# never takes an empty stream for "delete everything".
set -eu
spec=${ARGOCD_ENV_KEYWAY_SPEC:-${KEYWAY_SPEC:-}}
strict=${PARAM_WARNINGS_AS_ERRORS:-${WARNINGS_AS_ERRORS:-false}}
if [ -z "$spec" ]; then
  echo "keyway: set the plugin env KEYWAY_SPEC to the spec file, relative to the source path" >&2
  exit 1
fi
if [ ! -f "$spec" ]; then
  echo "keyway: spec '$spec' not found in $(pwd)" >&2
  exit 1
fi
if [ "$strict" = true ]; then
  exec compile --warnings-as-errors -- "$spec"
fi
exec compile -- "$spec"
