# perfbot benchmark: run the job's benchmark command ("$@") for PERFBOT_ROUNDS rounds, both sides
# in every round, so that drift of the machine does not read as a change. The order within a
# round alternates, AB BA AB BA ...: odd rounds run base then head, even rounds head then base,
# so a warm-up or order effect falls on each side equally instead of favouring one.
# In: PERFBOT_ROUNDS, PERFBOT_RESULTS (results/<side>/round-NNN<suffix>), PERFBOT_RESULT_SUFFIX,
#     PERFBOT_TARGET_KIND (url: a deployed service | dir: a build on the workspace),
#     url: PERFBOT_BASE_HOST, PERFBOT_HEAD_HOST, PERFBOT_BASE_PORT, PERFBOT_HEAD_PORT
#     dir: PERFBOT_BASE_DIR, PERFBOT_HEAD_DIR
#     optional: PERFBOT_NODE_NAME, PERFBOT_IMAGE, PERFBOT_BASE_IMAGE, PERFBOT_HEAD_IMAGE (for the
#     manifest), ARGO_PROGRESS_FILE; PERFBOT_BENCHMARKS (a confirmation run: the benchmarks to
#     measure again, one a line; passed on to the command, which may ignore it; unset when empty);
#     PERFBOT_MEASURE (what the driver measures itself around the command, words of
#     cpu rss instructions; default "cpu rss"; empty: nothing); PERFBOT_PROCESSES (fresh
#     processes of the command per side and round, 1 to 100; default 1); PERFBOT_PROC (where
#     loadavg and stat are read; default /proc)
# Each process sees PERFBOT_SIDE, PERFBOT_ROUND, PERFBOT_PROCESS (1, 2, ...), PERFBOT_TARGET and
# PERFBOT_RESULT (the file to write: round-NNN<suffix> with one process a round,
# round-NNN-pK<suffix> with several). A process's code layout, heap and JIT state are one random
# draw: several a round make that draw part of the noise instead of a round-wide bias.
# Out, besides the round files: results/<side>/rounds.tsv, one line per side and round that
# succeeded (round, position 1|2, started, finished, node, cpu, kernel, image, cpus,
# load_before, load_during, steal; tabs, carriage returns and newlines inside values become
# spaces; values are printed with '%s', never evaluated), and "N/M" (sides done / 2 x rounds)
# in ARGO_PROGRESS_FILE after every side, when it is set. cpus: the machine's online CPUs;
# load_before/load_during: the 1-minute load average read before the side ran and when it
# ended (so it covers the run); steal: the share of CPU time, in per cent, the hypervisor gave
# to other guests while the side ran (empty where the kernel does not count steal). They let the
# report say when the machine, not the code, was the problem.
# Measured by the driver itself, unless PERFBOT_MEASURE is empty: results/<side>/measured.tsv,
# one line per side and round that succeeded (round, user and system CPU seconds and peak RSS in
# bytes of the command's process tree, instructions:u, how: wait4 | times; empty: not
# measured), and results/<side>/measured.notes, one line per figure that could not be measured
# and why. CPU and RSS come from wait4 in a small python3 parent of the command where the image
# has python3 (microseconds; every descendant the command waited for); else from the shell's
# `times` (CPU only, in clock ticks). Instructions come from `perf stat -e instructions:u`.
set -eu
fail() { printf 'perfbot: %s\n' "$*" >&2; exit 2; }
[ "$#" -gt 0 ] || fail "no benchmark command given"
case "$PERFBOT_ROUNDS" in
  ""|0*|*[!0-9]*) fail "rounds must be a whole number from 1 to 1000, got '$PERFBOT_ROUNDS'" ;;
esac
[ "${#PERFBOT_ROUNDS}" -le 4 ] && [ "$PERFBOT_ROUNDS" -le 1000 ] ||
  fail "rounds must be a whole number from 1 to 1000, got '$PERFBOT_ROUNDS'"
rounds=$PERFBOT_ROUNDS
processes=${PERFBOT_PROCESSES-1}
case "$processes" in
  ""|0*|*[!0-9]*) fail "processes must be a whole number from 1 to 100, got '$processes'" ;;
esac
[ "${#processes}" -le 3 ] && [ "$processes" -le 100 ] ||
  fail "processes must be a whole number from 1 to 100, got '$processes'"
proc=${PERFBOT_PROC:-/proc}
# Empty means every benchmark: the command sees PERFBOT_BENCHMARKS only when it names some.
if [ -z "${PERFBOT_BENCHMARKS:-}" ]; then unset PERFBOT_BENCHMARKS; fi
case "$PERFBOT_TARGET_KIND" in url|dir) ;; *) fail "target kind must be url or dir" ;; esac
measure=${PERFBOT_MEASURE-cpu rss}
for word in $measure; do
  case "$word" in cpu|rss|instructions) ;; *) fail "measure must be words of cpu rss instructions" ;; esac
done
wants() { case " $measure " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# One manifest field: tabs, carriage returns and newlines become spaces.
field() { printf '%s' "$1" | tr '\t\r\n' '   '; }
# Unix time, with nanoseconds where date has %N (GNU, busybox), else whole seconds.
now() {
  t=$(date +%s.%N 2>/dev/null) || t=
  case "$t" in
    [0-9]*.[0-9]*) case "$t" in *[!0-9.]*) date +%s ;; *) printf '%s\n' "$t" ;; esac ;;
    *) date +%s ;;
  esac
}
progress() {
  [ -n "${ARGO_PROGRESS_FILE:-}" ] || return 0
  printf '%s/%s\n' "$1" "$((2 * rounds))" > "$ARGO_PROGRESS_FILE" 2>/dev/null || true
}
# A result missing while an argv item names a PERFBOT_ variable: the command was written as a
# list, which is exec'ed as it is, so "$PERFBOT_RESULT" stayed those characters.
argv_hint() {
  case "${1##*/} ${2:-}" in sh\ -c|bash\ -c|dash\ -c|ash\ -c|ksh\ -c|zsh\ -c) return 0 ;; esac
  for arg in "$@"; do
    case "$arg" in
      *'$PERFBOT_'*|*'${PERFBOT_'*)
        printf 'perfbot: the argv item %s is not expanded: a list-form command is run without a shell.\n' "'$arg'" >&2
        printf 'perfbot: to expand PERFBOT_ variables, run it through one: command: [sh, -c, %s]\n' "'$*'" >&2
        return 0 ;;
    esac
  done
}

# The parent that measures the command: fork, exec, wait4. Its own start-up is not counted
# (the rusage is the child's), and the command's exit status is passed on as the shell's would be.
RUSAGE='
import os, sys
out, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        sys.stderr.write("perfbot: %s: %s\n" % (argv[0], exc.strerror))
        os._exit(127)
while True:
    try:
        _, status, usage = os.wait4(pid, 0)
        break
    except InterruptedError:
        continue
scale = 1 if sys.platform == "darwin" else 1024
with open(out, "w") as f:
    f.write("%.6f\t%.6f\t%d\n" % (usage.ru_utime, usage.ru_stime, usage.ru_maxrss * scale))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
'
note() {
  printf 'perfbot: %s\n' "$1" >&2
  for side in base head; do printf '%s\n' "$1" >> "$PERFBOT_RESULTS/$side/measured.notes"; done
}
# Runs "$@" measured; the figures ("user<TAB>system<TAB>rss") go to $1.
measured() {
  figures=$1; shift
  if [ -n "$perf" ]; then set -- perf stat -x, -e instructions:u -o "$figures.perf" -- "$@"; fi
  if [ "$how" = wait4 ]; then python3 -c "$RUSAGE" "$figures" "$@"; return; fi
  status=0
  "$@" || status=$?
  times > "$figures.times"  # not in a pipeline: a forked `times` would see no children
  awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); sub("s", "", u[2]); sub("s", "", s[2]);
       printf "%.6f\t%.6f\t\n", u[1] * 60 + u[2], s[1] * 60 + s[2] }' "$figures.times" > "$figures"
  rm -f "$figures.times"
  return "$status"
}

# The 1-minute load average, or nothing when it cannot be read as a number.
load() {
  l=$(cut -d' ' -f1 "$proc/loadavg" 2>/dev/null) || l=
  case "$l" in [0-9]*.[0-9]*) case "$l" in *[!0-9.]*) l= ;; esac ;; *) l= ;; esac
  printf '%s' "$l"
}
# "total steal" jiffies of all CPUs (the cpu line's first eight fields), or nothing where the
# kernel gives no steal field (before 2.6.11) or there is no stat file.
cpu_ticks() {
  awk '$1 == "cpu" { if (NF >= 9) { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9 }; exit }' \
    "$proc/stat" 2>/dev/null || true
}
# The stolen share in per cent between two cpu_ticks readings; empty when either is missing.
steal_share() {
  [ -n "$1" ] && [ -n "$2" ] || return 0
  printf '%s %s\n' "$1" "$2" | awk '{ if ($3 > $1) printf "%.1f", 100 * ($4 - $2) / ($3 - $1) }'
}
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null) || cpus=
case "$cpus" in ""|*[!0-9]*) cpus=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null) || cpus= ;; esac

# One round of one side with several processes: the command ("$@") once per process, each with
# its own PERFBOT_PROCESS and PERFBOT_RESULT; the first that fails ends the round and is named.
PROCESS_LOOP='
stem=$1; suffix=$2; shift 2
p=1
while [ "$p" -le "$PERFBOT_PROCESSES" ]; do
  PERFBOT_PROCESS=$p PERFBOT_RESULT=$(printf "%s-p%d%s" "$stem" "$p" "$suffix")
  export PERFBOT_PROCESS PERFBOT_RESULT
  "$@" || { status=$?; printf "perfbot: process %s of %s failed\n" "$p" "$PERFBOT_PROCESSES" >&2; exit "$status"; }
  p=$((p + 1))
done
'
# The result file of one process of a round.
result_of() {
  if [ "$processes" -eq 1 ]; then
    printf '%s/%s/round-%03d%s' "$PERFBOT_RESULTS" "$1" "$2" "$PERFBOT_RESULT_SUFFIX"
  else
    printf '%s/%s/round-%03d-p%d%s' "$PERFBOT_RESULTS" "$1" "$2" "$3" "$PERFBOT_RESULT_SUFFIX"
  fi
}
node=${PERFBOT_NODE_NAME:-$(hostname 2>/dev/null || uname -n 2>/dev/null || true)}
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1) || cpu=
kernel=$(uname -r 2>/dev/null) || kernel=
machine=$(printf '%s\t%s\t%s' "$(field "$node")" "$(field "$cpu")" "$(field "$kernel")")
# What each side runs: its own image when the template says (PERFBOT_BASE_IMAGE/HEAD_IMAGE),
# else the benchmark client's.
base_image=$(field "${PERFBOT_BASE_IMAGE:-${PERFBOT_IMAGE:-}}")
head_image=$(field "${PERFBOT_HEAD_IMAGE:-${PERFBOT_IMAGE:-}}")

for side in base head; do
  mkdir -p "$PERFBOT_RESULTS/$side"
  printf 'round\tposition\tstarted\tfinished\tnode\tcpu\tkernel\timage\tcpus\tload_before\tload_during\tsteal\n' \
    > "$PERFBOT_RESULTS/$side/rounds.tsv"
done
how= perf=
if [ -n "$measure" ]; then
  for side in base head; do
    printf 'round\tuser\tsystem\tmax_rss\tinstructions\thow\n' > "$PERFBOT_RESULTS/$side/measured.tsv"
    rm -f "$PERFBOT_RESULTS/$side/measured.notes"
  done
  if python3 -c 'import os; os.fork, os.wait4' >/dev/null 2>&1; then
    how=wait4
  else
    how=times
    wants rss && note "max RSS: not measured: the image has no working python3 (wait4); CPU time from the shell's times, in clock ticks"
  fi
  if wants instructions; then
    probe="$PERFBOT_RESULTS/base/.perf-probe"
    if ! command -v perf >/dev/null 2>&1; then
      note "instructions: not measured: no perf on PATH (perf stat -e instructions:u)"
    elif perf stat -x, -e instructions:u -o "$probe" -- true >/dev/null 2>&1 &&
        grep -q '^[0-9][0-9]*,' "$probe"; then
      perf=perf
    else
      said=$(grep 'instructions' "$probe" 2>/dev/null | head -n 1 | cut -d, -f1) || said=
      note "instructions: not measured: perf stat -e instructions:u gave no count (${said:-perf failed}): no hardware counters here, or perf_event_open not allowed"
    fi
    rm -f "$probe"
  fi
fi
done_sides=0
progress 0
round=1
while [ "$round" -le "$rounds" ]; do
  if [ $((round % 2)) -eq 1 ]; then order="base head"; else order="head base"; fi
  position=1
  for side in $order; do
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
    result=$(result_of "$side" "$round" 1)
    printf 'perfbot: round %s/%s %s\n' "$round" "$rounds" "$side" >&2
    load_before=$(load)
    ticks_before=$(cpu_ticks)
    started=$(now)
    # set -e does not act inside `( ... ) || fail`: every step that must stop the round says
    # so itself (`|| exit`), or a failed cd would run the command in the wrong directory.
    [ -d "$workdir" ] || fail "round $round on $side failed: cannot enter $workdir (no such directory)"
    figures=$(printf '%s/%s/.round-%03d.measured' "$PERFBOT_RESULTS" "$side" "$round")
    (
      cd "$workdir" || exit 2
      export PERFBOT_SIDE="$side" PERFBOT_ROUND="$round" PERFBOT_TARGET="$target" \
        PERFBOT_PROCESSES="$processes"
      if [ "$processes" -eq 1 ]; then
        export PERFBOT_PROCESS=1 PERFBOT_RESULT="$result"
      else  # the loop is measured as one command: CPU summed, peak RSS the largest process's
        stem=$(printf '%s/%s/round-%03d' "$PERFBOT_RESULTS" "$side" "$round")
        set -- sh -c "$PROCESS_LOOP" perfbot-processes "$stem" "$PERFBOT_RESULT_SUFFIX" "$@"
      fi
      if [ -n "$measure" ]; then measured "$figures" "$@"; else "$@"; fi
    ) || { rm -f "$figures" "$figures.perf"; fail "round $round on $side failed"; }
    finished=$(now)
    load_during=$(load)
    steal=$(steal_share "$ticks_before" "$(cpu_ticks)")
    process=1
    while [ "$process" -le "$processes" ]; do
      result=$(result_of "$side" "$round" "$process")
      if [ ! -s "$result" ]; then
        rm -f "$figures" "$figures.perf"
        argv_hint "$@"
        fail "round $round on $side wrote no result to $result"
      fi
      process=$((process + 1))
    done
    if [ "$side" = base ]; then image=$base_image; else image=$head_image; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$position" "$started" "$finished" \
      "$machine" "$image" "$cpus" "$load_before" "$load_during" "$steal" \
      >> "$PERFBOT_RESULTS/$side/rounds.tsv"
    if [ -n "$measure" ]; then
      cpu=$(cut -f1,2 "$figures" 2>/dev/null) || cpu=
      case "$cpu" in [0-9]*.[0-9]*"$(printf '\t')"[0-9]*.[0-9]*) ;; *) cpu="$(printf '\t')" ;; esac
      rss=
      if wants rss; then rss=$(cut -f3 "$figures" 2>/dev/null) || rss=; fi
      case "$rss" in *[!0-9]*) rss= ;; esac
      count=
      if [ -n "$perf" ]; then
        count=$(grep ',instructions' "$figures.perf" 2>/dev/null | head -n 1 | cut -d, -f1) || count=
        case "$count" in *[!0-9]*) count= ;; esac
      fi
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$cpu" "$rss" "$count" "$how" \
        >> "$PERFBOT_RESULTS/$side/measured.tsv"
      rm -f "$figures" "$figures.perf"
    fi
    done_sides=$((done_sides + 1))
    progress "$done_sides"
    position=2
  done
  round=$((round + 1))
done
