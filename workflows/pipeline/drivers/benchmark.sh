# perfbot benchmark: run the job's benchmark command ("$@") for PERFBOT_ROUNDS rounds, sides
# interleaved base, head, base, head ... so that drift of the machine does not read as a change.
# In: PERFBOT_ROUNDS, PERFBOT_RESULTS (results/<side>/round-NNN<suffix>), PERFBOT_RESULT_SUFFIX,
#     PERFBOT_TARGET_KIND (url: a deployed service | dir: a build on the workspace),
#     url: PERFBOT_BASE_HOST, PERFBOT_HEAD_HOST, PERFBOT_BASE_PORT, PERFBOT_HEAD_PORT
#     dir: PERFBOT_BASE_DIR, PERFBOT_HEAD_DIR
# Each round sees PERFBOT_SIDE, PERFBOT_ROUND, PERFBOT_TARGET and PERFBOT_RESULT (the file to write).
set -eu
fail() { printf 'perfbot: %s\n' "$*" >&2; exit 2; }
[ "$#" -gt 0 ] || fail "no benchmark command given"
case "$PERFBOT_ROUNDS" in
  ""|0*|*[!0-9]*) fail "rounds must be a whole number from 1 to 1000, got '$PERFBOT_ROUNDS'" ;;
esac
[ "${#PERFBOT_ROUNDS}" -le 4 ] && [ "$PERFBOT_ROUNDS" -le 1000 ] ||
  fail "rounds must be a whole number from 1 to 1000, got '$PERFBOT_ROUNDS'"
rounds=$PERFBOT_ROUNDS
case "$PERFBOT_TARGET_KIND" in url|dir) ;; *) fail "target kind must be url or dir" ;; esac

mkdir -p "$PERFBOT_RESULTS/base" "$PERFBOT_RESULTS/head"
round=1
while [ "$round" -le "$rounds" ]; do
  for side in base head; do
    if [ "$PERFBOT_TARGET_KIND" = url ]; then
      if [ "$side" = base ]; then
        target="http://$PERFBOT_BASE_HOST:$PERFBOT_BASE_PORT"
      else
        target="http://$PERFBOT_HEAD_HOST:$PERFBOT_HEAD_PORT"
      fi
      workdir=.
    else
      if [ "$side" = base ]; then target=$PERFBOT_BASE_DIR; else target=$PERFBOT_HEAD_DIR; fi
      workdir=$target
    fi
    result=$(printf '%s/%s/round-%03d%s' "$PERFBOT_RESULTS" "$side" "$round" "$PERFBOT_RESULT_SUFFIX")
    printf 'perfbot: round %s/%s %s\n' "$round" "$rounds" "$side" >&2
    (
      cd "$workdir"
      PERFBOT_SIDE=$side PERFBOT_ROUND=$round PERFBOT_TARGET=$target PERFBOT_RESULT=$result \
        "$@"
    ) || fail "round $round on $side failed"
    [ -s "$result" ] || fail "round $round on $side wrote no result to $result"
  done
  round=$((round + 1))
done
