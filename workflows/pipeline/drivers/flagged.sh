# perfbot flagged: what the first comparison flagged, which a confirmation run measures again.
# Argv: REPORT_JSON OUT_DIR; writes OUT_DIR/benchmarks (the regressed and improved benchmarks,
# one a line) and OUT_DIR/confirm (true when there is any, else false).
set -eu
[ "$#" -eq 2 ] || { echo "perfbot: usage: flagged REPORT_JSON OUT_DIR" >&2; exit 2; }
report=$1 out=$2
mkdir -p "$out"
perfbot notify --flagged-of "$report" > "$out/benchmarks"
if [ -s "$out/benchmarks" ]; then confirm=true; else confirm=false; fi
printf '%s' "$confirm" > "$out/confirm"
printf 'perfbot: %s benchmark(s) flagged; confirmation run: %s\n' \
  "$(wc -l < "$out/benchmarks" | tr -d ' ')" "$confirm" >&2
