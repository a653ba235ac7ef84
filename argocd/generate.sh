#!/bin/sh
# Argo CD Config Management Plugin `generate`: compiles the spec named by the Application's plugin
# env KEYWAY_SPEC (Argo CD passes it as ARGOCD_ENV_KEYWAY_SPEC), relative to the app's source path
# (the working directory), and prints the manifest stream. Every failure exits non-zero, so Argo CD
# never takes an empty stream for "delete everything".
#
# The spec must resolve, after every symbolic link, to a regular file inside the source path: a
# relative path with '..', an absolute path or a link pointing out of it is refused before
# anything reads the file, so a diagnostic can never quote another file's lines. A name or a
# resolved path with a control character is refused.
set -eu
spec=${ARGOCD_ENV_KEYWAY_SPEC:-${KEYWAY_SPEC:-}}
strict=${PARAM_WARNINGS_AS_ERRORS:-${WARNINGS_AS_ERRORS:-false}}
if [ -z "$spec" ]; then
  echo "keyway: error: set the plugin env KEYWAY_SPEC to the spec file, relative to the source path" >&2
  exit 1
fi
# A control character (a trailing newline above all: $(…) drops it) would let the file checked
# below differ from the file compiled, e.g. 'dev.yaml<newline>' inside and a 'dev.yaml' link out.
case $spec in
  *[[:cntrl:]]*)
    echo "keyway: error: the spec's name has a control character (a newline, a tab, …)" >&2
    echo "  = help: name the spec file with printable characters only" >&2
    exit 1
    ;;
esac
root=$(pwd -P)
# The '.' keeps a trailing newline of the resolved path from being dropped, so it is refused below.
if ! resolved=$(realpath -e -- "$spec" 2>/dev/null && echo .); then
  echo "keyway: error: spec '$spec' not found in the source path" >&2
  exit 1
fi
resolved=${resolved%?.}
case $resolved in
  *[[:cntrl:]]*)
    echo "keyway: error: spec '$spec' resolves to a path with a control character" >&2
    echo "  = help: name the spec file and its folders with printable characters only" >&2
    exit 1
    ;;
esac
case $resolved in
  "$root"/*) ;;
  *)
    echo "keyway: error: spec '$spec' is outside the source path" >&2
    echo "  = help: name a file inside the application's source path; links out of it are refused" >&2
    exit 1
    ;;
esac
if [ ! -f "$resolved" ]; then
  echo "keyway: error: spec '$spec' is not a regular file" >&2
  exit 1
fi
# The resolved path, relative to the source path: no link left to swap, and readable diagnostics.
relative=${resolved#"$root"/}
if [ "$strict" = true ]; then
  exec compile --warnings-as-errors -- "$relative"
fi
exec compile -- "$relative"
