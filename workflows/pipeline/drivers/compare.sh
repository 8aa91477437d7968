# perfbot compare: every report and the overall verdict of one run, from one comparison.
# Argv: BASE_DIR HEAD_DIR OUT_DIR [perfbot compare flags...]; writes OUT_DIR/report.json,
# OUT_DIR/report.md, OUT_DIR/report.html, OUT_DIR/report.txt and OUT_DIR/verdict.
set -eu
[ "$#" -ge 3 ] || { echo "perfbot: usage: compare BASE_DIR HEAD_DIR OUT_DIR [flags]" >&2; exit 2; }
base=$1 head=$2 out=$3
shift 3
mkdir -p "$out"
perfbot compare "$base" "$head" --format json --output "$out/report.json" \
  --write "markdown=$out/report.md" --write "html=$out/report.html" \
  --write "text=$out/report.txt" --write "verdict=$out/verdict" "$@"
