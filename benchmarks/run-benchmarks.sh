#!/usr/bin/env bash
# Runs the JMH benchmarks and the chunk-size sweep, writing raw output to benchmarks/results/.
#
#   benchmarks/run-benchmarks.sh [--quick] [--no-sweep] [BenchmarkClass ...]
#
# Build first: mvn -B -q -pl benchmarks -am -DskipTests package
# --quick: one 1 s warmup and one 1 s measurement per benchmark, sweep at 5% scale (a smoke test;
# the figures are not meaningful). Default: each class's own settings (2 x 2 s warmup,
# 3 x 2 s measurement, 1 fork) and the full sweep (about 300 MiB x 5 versions x 7 sizes).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OPENS=(--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/sun.nio.fs=ALL-UNNAMED)
OUT=benchmarks/results
JMH_OPTS=()
SWEEP_OPTS=()
SWEEP=1
CLASSES=()
for a in "$@"; do
  case "$a" in
    --quick) JMH_OPTS=(-wi 1 -w 1 -i 1 -r 1); SWEEP_OPTS=(--scale 0.05 --versions 3); OUT=benchmarks/target/results-quick ;;
    --no-sweep) SWEEP=0 ;;
    *) CLASSES+=("$a") ;;
  esac
done
# Extra JMH options for every class, e.g. JMH_EXTRA="-i 8 -r 1" (more, shorter iterations: on a
# shared machine the fastest ones show the uncontended speed).
if [ -n "${JMH_EXTRA:-}" ]; then
  read -r -a extra <<< "$JMH_EXTRA"
  JMH_OPTS+=("${extra[@]}")
fi
if [ ${#CLASSES[@]} -eq 0 ]; then
  CLASSES=(HashBenchmark ChunkerBenchmark ZstdBenchmark PackBenchmark IngestBenchmark SmallFileIngestBenchmark ManifestDiffBenchmark)
fi
[ -f "$JAR" ] || { echo "missing $JAR: build with mvn -B -q -pl benchmarks -am -DskipTests package" >&2; exit 1; }
mkdir -p "$OUT"

# CPU jiffies (1/100 s) spent busy by the whole machine: user nice system irq softirq steal.
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }

# Waits (up to QUIET_WAIT seconds, default 600) until other processes use under 10% of the
# machine over 5 s: another engineer's build on this 2-core machine skews every figure.
wait_quiet() {
  local waited=0 b0 b1 pct
  while :; do
    b0=$(busy); sleep 5; b1=$(busy)
    pct=$(( (b1 - b0) * 100 / (5 * 100 * $(nproc)) ))
    if [ "$pct" -lt 10 ] || [ "$waited" -ge "${QUIET_WAIT:-600}" ]; then
      echo "quiet check: ${pct}% busy after waiting ${waited}s"
      return
    fi
    sleep 10; waited=$((waited + 15))
  done
}

# Runs a command, logging its own CPU time and what the rest of the machine used meanwhile.
measured() { # log command...
  local log=$1; shift
  local b0 b1 t0 t1 own
  wait_quiet | tee -a "$log"
  echo "start $(date -u +%FT%TZ) load:$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
  b0=$(busy); t0=$(date +%s.%N)
  own=$( { TIMEFORMAT='%U %S'; time "$@" >> "$log" 2>&1; } 2>&1 )
  b1=$(busy); t1=$(date +%s.%N)
  awk -v b="$((b1 - b0))" -v own="$own" -v t0="$t0" -v t1="$t1" -v n="$(nproc)" 'BEGIN {
    split(own, o, " "); wall = t1 - t0; total = b / 100; mine = o[1] + o[2]; other = total - mine;
    if (other < 0) other = 0;
    printf "end %s wall=%.0fs own_cpu=%.0fs other_cpu=%.0fs other_load=%.0f%% of %d cores\n",
      strftime("%Y-%m-%dT%H:%M:%SZ", systime(), 1), wall, mine, other, 100 * other / (wall * n), n }' | tee -a "$log"
}

for c in "${CLASSES[@]}"; do
  # JMH takes a regex: anchor it, or IngestBenchmark would also run SmallFileIngestBenchmark.
  pattern="\\.$c\\."
  echo "== $c: java ${OPENS[*]} -jar $JAR '$pattern' ${JMH_OPTS[*]} -rf json -rff $OUT/$c.json" | tee "$OUT/$c.txt"
  measured "$OUT/$c.txt" java "${OPENS[@]}" -jar "$JAR" "$pattern" "${JMH_OPTS[@]}" -rf json -rff "$OUT/$c.json"
  sed -n '/^Benchmark  /,$p' "$OUT/$c.txt"
done

if [ "$SWEEP" = 1 ]; then
  L=$OUT/ChunkSizeSweep.txt
  echo "== ChunkSizeSweep: java ${OPENS[*]} -cp $JAR dev.cairn.benchmarks.ChunkSizeSweep ${SWEEP_OPTS[*]}" | tee "$L"
  measured "$L" java "${OPENS[@]}" -cp "$JAR" dev.cairn.benchmarks.ChunkSizeSweep "${SWEEP_OPTS[@]}"
  cat "$L"
fi
