# perfbot check: does this side need a build? Writes "true" or "false" to $PERFBOT_OUTPUT.
# In: PERFBOT_SIDE, PERFBOT_SHA, PERFBOT_REBUILD (true|false), PERFBOT_BUILD_KIND (image|command),
#     PERFBOT_IMAGE (image builds), PERFBOT_LOCAL=1 when run by `perfbot run --local`.
set -eu
fail() { printf 'perfbot: %s\n' "$*" >&2; exit 2; }

case "$PERFBOT_SIDE" in base|head) ;; *) fail "side must be base or head" ;; esac
case "$PERFBOT_SHA" in
  ""|*[!0-9a-f]*) fail "$PERFBOT_SIDE commit must be a hex commit id (7 to 40 of 0-9a-f)" ;;
esac
if [ "${#PERFBOT_SHA}" -lt 7 ] || [ "${#PERFBOT_SHA}" -gt 40 ]; then
  fail "$PERFBOT_SIDE commit must be 7 to 40 hex digits"
fi
case "$PERFBOT_REBUILD" in true|false) ;; *) fail "rebuild must be true or false" ;; esac

exists=false
if [ "$PERFBOT_BUILD_KIND" = image ] && [ "${PERFBOT_LOCAL:-}" != 1 ]; then
  if crane manifest "$PERFBOT_IMAGE" >/dev/null 2>&1; then exists=true; fi
fi

if [ "$exists" = true ]; then
  build=false
  printf 'perfbot: %s exists, not rebuilding\n' "$PERFBOT_IMAGE" >&2
elif [ "$PERFBOT_REBUILD" = true ] || [ "${PERFBOT_LOCAL:-}" = 1 ]; then
  build=true
elif [ "$PERFBOT_BUILD_KIND" = image ]; then
  printf 'perfbot: no image %s for the %s commit; ' "$PERFBOT_IMAGE" "$PERFBOT_SIDE" >&2
  printf 'run with rebuild=true (/run-perf) to build it\n' >&2
  exit 3
else
  printf 'perfbot: this job builds with a command, whose output lives only as long as a run; ' >&2
  printf 'run with rebuild=true (/run-perf)\n' >&2
  exit 3
fi

mkdir -p "$(dirname "$PERFBOT_OUTPUT")"
printf '%s' "$build" > "$PERFBOT_OUTPUT"
