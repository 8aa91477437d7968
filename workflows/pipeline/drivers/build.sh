# perfbot build: run the job's build command ("$@") in the checkout, then keep what later steps
# need on the workspace. In: PERFBOT_SIDE, PERFBOT_SHA, PERFBOT_OUT (this side's workspace
# directory), PERFBOT_KEEP (paths to keep, one per line; "." keeps the whole checkout).
set -eu
fail() { printf 'perfbot: %s\n' "$*" >&2; exit 2; }
[ "$#" -gt 0 ] || fail "no build command given"
case "$PERFBOT_SIDE" in base|head) ;; *) fail "side must be base or head" ;; esac

printf 'perfbot: building %s (%s)\n' "$PERFBOT_SIDE" "$PERFBOT_SHA" >&2
"$@"

rm -rf "$PERFBOT_OUT"
mkdir -p "$PERFBOT_OUT"
printf '%s\n' "$PERFBOT_KEEP" | while IFS= read -r path; do
  [ -n "$path" ] || continue
  if [ "$path" = . ]; then
    cp -R -p ./. "$PERFBOT_OUT"/
  else
    [ -e "$path" ] || fail "build output $path does not exist"
    mkdir -p "$PERFBOT_OUT/$(dirname "$path")"
    cp -R -p "$path" "$PERFBOT_OUT/$path"
  fi
done
printf 'perfbot: kept the %s build in %s\n' "$PERFBOT_SIDE" "$PERFBOT_OUT" >&2
