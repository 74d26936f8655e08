#!/usr/bin/env bash
# Side-by-side benchmark (issue 6): Cairn against restic, borg, git, cp -r and tar | zstd -1 on
# the same generated data, same disk, alternating tools, medians of several repetitions; then
# the metadata-scale figures on a dataset of tiny files. Prints one table of ratios.
#
#   benchmarks/sidebyside/run.sh [--quick | --full] [options]
#
#   --quick            100 MiB mixed set, 2 repetitions, 10,000 tiny files, nothing deleted until
#                      the end (a few minutes; a smoke test of the harness, figures rough)
#   --full             2 GiB mixed set, 3 repetitions, 1,000,000 tiny files (the default)
#   --reps N           repetitions of the mixed-set sequence
#   --mixed-bytes N    size of the mixed set (e.g. 400M, 2G)
#   --tiny-files N     number of tiny files (0: skip the metadata-scale part)
#   --tools "..."      subset of: cairn cairnd restic borg git cp tarzstd (default: all)
#   --tiny-tools "..." tools for the metadata-scale part (default: cairn cairnd restic borg git)
#
# "cairn" runs every command in a JVM of its own (CAIRN_DAEMON=off); "cairnd" runs the same
# commands through `cairn daemon` (started for this folder by the harness): no JVM start for the
# command, the daemon's CPU, peak RSS and bytes written added to the client's.
#   --no-mixed         skip the mixed set
#   --drop-caches      drop the page cache before every timed operation (needs root)
#   --workdir DIR      data and repositories (default /work/sbs-work; must be a real disk)
#   --write-results    replace the side-by-side section of benchmarks/RESULTS.md with this run
#   --keep             keep the work directory afterwards
#
# Environment: QUIET_WAIT (seconds to wait for a quiet machine before each phase, default 300),
# QUIET_PCT (busy share of the machine that counts as quiet, default 15), QUIET_SAMPLE (seconds
# the load is sampled for, default 5; 1 in quick mode), SETTLE_MAX (longest wait, in seconds, for
# the file system to settle after trees were deleted: default 180, 30 in quick mode).
# It builds tools/target/cairn.jar and benchmarks/target/benchmarks.jar first when they are missing
# or older than the sources (mvn -B -q -DskipTests -pl tools,benchmarks -am package).
set -uo pipefail
ARGV="$*"; T_BEGIN=$(date +%s)
here="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$here"

MODE=full; REPS=; MIXED_BYTES=; TINY_FILES=; TOOLS="cairn cairnd restic borg git cp tarzstd"
TINY_TOOLS="cairn cairnd restic borg git"; DO_MIXED=1; DROP=0; W=/work/sbs-work; WRITE=0; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --full) MODE=full ;;
    --reps) REPS=$2; shift ;;
    --mixed-bytes) MIXED_BYTES=$2; shift ;;
    --tiny-files) TINY_FILES=$2; shift ;;
    --tools) TOOLS=$2; shift ;;
    --tiny-tools) TINY_TOOLS=$2; shift ;;
    --no-mixed) DO_MIXED=0 ;;
    --drop-caches) DROP=1 ;;
    --workdir) W=$2; shift ;;
    --write-results) WRITE=1 ;;
    --keep) KEEP=1 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
# Quick mode keeps every tree until the end (DEFER_DELETE): deleting thousands of files costs a
# wait of up to 3 minutes for the file system to settle (see trash() below), longer than the
# quick mode's measurements; it needs more disk instead (about 20x the mixed set).
if [ "$MODE" = quick ]; then
  : "${REPS:=2}" "${MIXED_BYTES:=100M}" "${TINY_FILES:=10000}" "${QUIET_SAMPLE:=1}" "${SETTLE_MAX:=30}"
  DEFER_DELETE=1; API_COMMITS=33
else
  : "${REPS:=3}" "${MIXED_BYTES:=2G}" "${TINY_FILES:=1000000}"
  DEFER_DELETE=0; API_COMMITS=70
fi

CAIRN_JAR=tools/target/cairn.jar

BENCH_JAR=benchmarks/target/benchmarks.jar
# Built when missing or older than the sources, as bin/cairn does: one command runs it all.
if [ ! -e "$CAIRN_JAR" ] || [ ! -e "$BENCH_JAR" ] || [ -n "$(find core/src/main storage-hadoop/src/main tools/src/main \
    benchmarks/src/main pom.xml core/pom.xml storage-hadoop/pom.xml tools/pom.xml benchmarks/pom.xml \
    -newer "$CAIRN_JAR" -type f -print -quit 2>/dev/null)" ]; then
  echo "building $CAIRN_JAR and $BENCH_JAR ..." >&2
  mvn -B -q -DskipTests -pl tools,benchmarks -am package >&2 || { echo "build failed" >&2; exit 1; }
fi
OPENS=(--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/sun.nio.fs=ALL-UNNAMED)
GEN=(java -cp "$BENCH_JAR" dev.cairn.benchmarks.sidebyside.DataGenerator)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=benchmarks/results/sidebyside/$MODE-$STAMP
mkdir -p "$OUT"
RAW=$OUT/raw.tsv
LOG=$OUT/log.txt
TMPD=$OUT/tmp
mkdir -p "$TMPD"
printf 'section\trep\ttool\top\twall_s\twall_sync_s\tcpu_s\tcmd_ms\tmaxrss_kb\tfs_out_bytes\tsize_bytes\tother_load\trc\n' > "$RAW"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG"; }

# ---- peers: install and check --------------------------------------------------------------
install_peers() {
  local missing=()
  command -v restic >/dev/null || missing+=(restic)
  command -v borg >/dev/null || missing+=(borgbackup)
  command -v zstd >/dev/null || missing+=(zstd)
  command -v git >/dev/null || missing+=(git)
  [ -x /usr/bin/time ] || missing+=(time)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    local SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
      { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y "${missing[@]}" >/dev/null; } ||
      { echo "cannot install ${missing[*]}" >&2; exit 1; }
  fi
}
install_peers
export RESTIC_PASSWORD=cairn-bench   # restic 0.14 always encrypts and has no --insecure-no-password
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

# ---- machine and load ----------------------------------------------------------------------
busy() { awk '/^cpu /{printf "%.0f\n", $2+$3+$4+$7+$8+$9}' /proc/stat; }
NCPU=$(nproc)
# Waits (up to QUIET_WAIT s) until the machine is under QUIET_PCT% busy over QUIET_SAMPLE s.
wait_quiet() {
  local waited=0 b0 b1 pct sample=${QUIET_SAMPLE:-5}
  [[ "$sample" =~ ^[1-9][0-9]*$ ]] || { echo "QUIET_SAMPLE must be a whole number of seconds, 1 or more: $sample" >&2; exit 2; }
  while :; do
    b0=$(busy); sleep "$sample"; b1=$(busy)
    pct=$(( (b1 - b0) * 100 / (sample * 100 * NCPU) ))
    if [ "$pct" -lt "${QUIET_PCT:-15}" ] || [ "$waited" -ge "${QUIET_WAIT:-300}" ]; then
      log "quiet check: ${pct}% busy after waiting ${waited}s, load $(cut -d' ' -f1-3 /proc/loadavg)"
      return
    fi
    sleep 10; waited=$((waited + sample + 10))
  done
}
CAN_DROP=0
if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then CAN_DROP=1; fi
[ "$DROP" = 1 ] && [ "$CAN_DROP" = 0 ] && { echo "--drop-caches: not permitted here" >&2; exit 1; }
{
  echo "mode=$MODE reps=$REPS mixed_bytes=$MIXED_BYTES tiny_files=$TINY_FILES tools='$TOOLS' tiny_tools='$TINY_TOOLS' drop_caches=$DROP can_drop=$CAN_DROP"
  echo "command: $0 $ARGV"
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "disk: $(df -h "$(dirname "$W")" | tail -1)"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "restic: $(restic version)"
  echo "borg: $(borg --version)"
  echo "git: $(git --version)"
  echo "zstd: $(zstd --version)"
  echo "tar: $(tar --version | head -1)"
  echo "cairn: $(git -C "$here" rev-parse --short HEAD) ($(git -C "$here" status --porcelain core tools | wc -l) uncommitted changes in core/tools)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" | tee -a "$LOG"

# ---- timing --------------------------------------------------------------------------------
# measure SECTION REP TOOL OP SIZE_PATH -- command...: runs the command under GNU time, then
# sync; records wall time without and with the sync, peak RSS, bytes written (rusage block
# outputs x 512: pages the command dirtied for the disk), Cairn's in-process time when printed,
# the size of SIZE_PATH afterwards ("-" for none) and the share of the machine others used.
measure() {
  local section=$1 rep=$2 tool=$3 op=$4 sizep=$5; shift 6
  sync
  if [ "$DROP" = 1 ]; then
    echo 3 > /proc/sys/vm/drop_caches
  elif [ "$CAN_DROP" = 1 ] && [ -n "${WARM:-}" ]; then
    # The same memory for every tool: the page cache emptied, then holding only what this command
    # reads (WARM: the data and the tool's repository). With the cache left full of the other
    # tools' repositories, every page written had to be reclaimed first, which cost whoever ran
    # later in a repetition up to 5 s of system time on a 2 GiB ingest.
    echo 3 > /proc/sys/vm/drop_caches
    local p
    for p in $WARM; do [ -e "$p" ] && find "$p" -type f -print0 | xargs -0 -r cat > /dev/null; done
    warm_program "$tool"
  fi
  local b0 b1 t0 t1 t2 rc d0=0 d1=0 dio0=0 dio1=0 drss=0
  if [ "$tool" = cairnd ]; then
    # The daemon does the work: its CPU ticks and bytes written count too, and its peak RSS is
    # reset (clear_refs 5) so that it is this command's.
    d0=$(daemon_ticks); dio0=$(daemon_io); echo 5 > "/proc/$DAEMON_PID/clear_refs" 2>/dev/null
  fi
  b0=$(busy); t0=$(date +%s%N)
  /usr/bin/time -v -o "$TMPD/time.txt" "$@" > "$TMPD/out.txt" 2> "$TMPD/err.txt"
  rc=$?
  t1=$(date +%s%N); sync; t2=$(date +%s%N); b1=$(busy)
  if [ "$tool" = cairnd ]; then
    d1=$(daemon_ticks); dio1=$(daemon_io); drss=$(awk '/^VmHWM/{print $2}' "/proc/$DAEMON_PID/status" 2>/dev/null || echo 0)
    grep -q 'daemon=1' "$TMPD/err.txt" || log "  cairnd: the daemon did not serve this command (see $DAEMON_LOG)"
  fi
  local size=-
  [ "$sizep" != - ] && size=$(repo_bytes "$sizep")
  local user sys rss fsout cmdms
  user=$(awk -F': ' -v d=$((d1 - d0)) -v hz="$(getconf CLK_TCK)" '/User time/{print $2 + d / hz}' "$TMPD/time.txt")
  sys=$(awk -F': ' '/System time/{print $2}' "$TMPD/time.txt")
  rss=$(awk -F': ' -v d="${drss:-0}" '/Maximum resident/{print $2 + d}' "$TMPD/time.txt")
  fsout=$(awk -F': ' -v d=$((dio1 - dio0)) '/File system outputs/{printf "%.0f\n", $2 * 512 + d}' "$TMPD/time.txt")
  cmdms=$(sed -n 's/.*cairn-timing .*command_ms=\([0-9.]*\).*/\1/p' "$TMPD/err.txt" | tail -1)
  [ -z "$cmdms" ] && cmdms=-
  local row
  row=$(awk -v s="$section" -v r="$rep" -v t="$tool" -v o="$op" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v cm="$cmdms" \
    -v rss="$rss" -v fo="$fsout" -v sz="$size" -v b="$((b1 - b0))" -v u="$user" -v sy="$sys" -v n="$NCPU" -v rc="$rc" 'BEGIN {
      wall = (t1 - t0) / 1e9; ws = (t2 - t0) / 1e9; other = b / 100 - u - sy; if (other < 0) other = 0;
      printf "%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.2f\t%s\t%s\t%s\t%s\t%.2f\t%s", s, r, t, o, wall, ws, u + sy, cm, rss, fo, sz, other / (ws * n), rc }')
  echo "$row" >> "$RAW"
  log "$(echo "$row" | awk -F'\t' '{printf "%-6s rep %s %-8s %-18s %8.2f s (+sync %6.2f s) cpu=%ss cmd_ms=%s rss=%s KB out=%s B size=%s other=%s rc=%s", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13}')"
  if [ "$rc" != 0 ]; then
    log "  command failed: $*"; tail -5 "$TMPD/err.txt" | tee -a "$LOG"
  fi
  cp "$TMPD/out.txt" "$TMPD/last-out.txt"
  return 0
}
# Bytes of a repository without Cairn's materialized cache (restic's and borg's local caches
# live beside the repository, in R.cache, and are not counted either). cp and tarzstd keep only
# their latest version on disk (a full copy each): their size is the sum of every version stored.
repo_bytes() {
  local r=$1
  if [ -f "$r.n" ]; then
    local n v prev
    n=$(cat "$r.n"); prev=$(cat "$r.vsize" 2>/dev/null || echo 0)
    v=$(du -sb "$r"/v"$n" "$r"/v"$n".tar.zst 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}')
    echo $((prev + v)) > "$r.vsize"
    trash "$r"/v"$((n - 1))" "$r"/v"$((n - 1))".tar.zst
    echo $((prev + v))
    return
  fi
  du -sb --exclude=./cache "$r" 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'
}
# Trees are not deleted while tools are timed: on this ext4 disk, creating files within about a
# minute of deleting many costs up to 0.5 ms per file (the inode allocator skips recently freed
# inodes; measured with fs_probe: 8 us per file when settled, 450 us for 20 s after deleting
# 20,000 files). Whoever ran next after a deletion paid for it. trash() moves trees aside (a
# rename frees nothing); empty_trash() deletes them where nothing is timed, then settle() waits.
trash() {
  local p d
  mkdir -p "$W/trash"
  for p in "$@"; do
    [ -e "$p" ] || continue
    # a fresh folder each: a move that failed would leave the old tree where the next one goes
    d=$(mktemp -d "$W/trash/$(basename "$p").XXXXXX") && mv "$p" "$d/" || { echo "cannot move $p aside" >&2; exit 1; }
  done
  return 0
}
empty_trash() {
  if [ "$DEFER_DELETE" = 1 ]; then trash "$@"; return 0; fi   # quick mode: all deleted at the end
  rm -rf "$W/trash" "$@"; sync
}
# The cost of creating an empty file in the work directory right now, in microseconds.
fs_probe_us() {
  python3 - "$W" <<'PY'
import os, sys, time, shutil
d = os.path.join(sys.argv[1], "fs-probe"); os.makedirs(d, exist_ok=True)
t0 = time.perf_counter()
for i in range(300):
    os.close(os.open(os.path.join(d, str(i)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
print("%.0f" % ((time.perf_counter() - t0) / 300 * 1e6))
shutil.rmtree(d)
PY
}
fs_probe() { log "fs probe: $(fs_probe_us) us per file created in $W"; }
# Waits (up to SETTLE_MAX s: 180, 30 in quick mode) until creating a file costs under 40 us again.
settle() {
  local waited=0 us
  while us=$(fs_probe_us); [ "$us" -ge 40 ] && [ "$waited" -lt "${SETTLE_MAX:-180}" ]; do sleep 10; waited=$((waited + 10)); done
  if [ "$us" -lt 40 ]; then
    log "file system settled: ${us} us per file created, after waiting ${waited}s"
  else
    log "file system not settled after ${waited}s (${us} us per file created, against 40); going on"
  fi
}

# Cairn runs through its launcher, as users run it (with its class-data-sharing archive);
# CAIRN_TIMING makes it print the time spent in the command itself, without JVM start.
# cairn_cmd TOOL: "cairn" in a JVM of its own, "cairnd" through the daemon.
cairn_cmd() {
  case $1 in
    cairnd) echo env CAIRN_TIMING=1 CAIRN_JAVA_OPTS=${CAIRN_HEAP:-} bin/cairn ;;
    *) echo env CAIRN_DAEMON=off CAIRN_TIMING=1 CAIRN_JAVA_OPTS=${CAIRN_HEAP:-} bin/cairn ;;
  esac
}
# The daemon for this folder, started with the heap of the commands it will serve (the same
# CAIRN_JAVA_OPTS, or it declines them). DAEMON_PID: its process, for measure().
DAEMON_PID=; DAEMON_LOG=
daemon_up() {
  env CAIRN_JAVA_OPTS="$1" bin/cairn daemon stop > /dev/null
  env CAIRN_JAVA_OPTS="$1" bin/cairn daemon start | tee -a "$LOG"
  local status
  status=$(env CAIRN_JAVA_OPTS="$1" bin/cairn daemon status)
  DAEMON_PID=$(sed -n 's/.*(pid \([0-9]*\),.*/\1/p' <<< "$status")
  DAEMON_LOG=$(sed -n 's/.*, log \(.*\))$/\1/p' <<< "$status")
  [ -n "$DAEMON_PID" ] || { echo "cairn daemon did not start" >&2; exit 1; }
}
# Stops the daemon only while it is still the one this run started: another run of the harness
# may have replaced it since (and a stop would end that run's daemon under it).
daemon_down() {
  if [ -n "$DAEMON_PID" ] && bin/cairn daemon status 2>/dev/null | grep -q "(pid $DAEMON_PID,"; then
    bin/cairn daemon stop > /dev/null
  fi
  DAEMON_PID=
}
daemon_ticks() { awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat" 2>/dev/null || echo 0; }
daemon_io() { awk '/^write_bytes/{print $2}' "/proc/$DAEMON_PID/io" 2>/dev/null || echo 0; }

# ---- one tool's operations -----------------------------------------------------------------
# repo dir per tool: $R/<tool>; data folder $1; version counter for cp/tar in $R/<tool>.n
init_repo() { # tool repo
  local t=$1 r=$2
  rm -rf "$r" "$r.cache" "$r.config" "$r.idx" "$r.n" "$r.vsize"
  case $t in
    cairn|cairnd) mkdir -p "$r" ;;
    restic) restic -q -r "$r" init >/dev/null ;;
    borg) borg init -e none "$r" ;;
    git) mkdir -p "$r" && git -C "$r" init -q && git -C "$r" config gc.auto 0 && git -C "$r" config core.quotePath false ;;
    cp|tarzstd) mkdir -p "$r" && echo 0 > "$r.n" ;;
  esac
}
# ingest TOOL REPO DATA NAME: the command line (printed words) that stores DATA as a new version.
ingest_cmd() {
  local t=$1 r=$2 d=$3 name=$4 n
  case $t in
    cairn|cairnd) echo "$(cairn_cmd "$t") --repo $r sync --project bench --name $name --folder $d --json" ;;
    restic) echo "restic -q -r $r --cache-dir $r.cache backup --host bench $d" ;;
    borg) echo "env BORG_CACHE_DIR=$r.cache BORG_CONFIG_DIR=$r.config bash -c 'cd $d && borg create $r::v\$(date +%s%N) .'" ;;
    git) echo "bash -c 'cd $d && export GIT_DIR=$r/.git GIT_WORK_TREE=$d && git add -A && { git commit -q -m v || true; }'" ;;
    cp) n=$(cat "$r.n"); echo $((n + 1)) > "$r.n"; echo "cp -r $d $r/v$((n + 1))" ;;
    tarzstd) n=$(cat "$r.n"); echo $((n + 1)) > "$r.n"; echo "bash -c 'tar -C $d -cf - . | zstd -1 -q -o $r/v$((n + 1)).tar.zst'" ;;
  esac
}
# restore TOOL REPO TARGET [NAME]: the latest version into an empty TARGET; echoes the command.
restore_cmd() {
  local t=$1 r=$2 e=$3 name=${4:-mixed}
  case $t in
    cairn|cairnd) echo "$(cairn_cmd "$t") --repo $r get --project bench --name $name --copy $e" ;;
    restic) echo "restic -q -r $r --cache-dir $r.cache restore latest --target $e" ;;
    borg) echo "env BORG_CACHE_DIR=$r.cache BORG_CONFIG_DIR=$r.config bash -c 'cd $e && borg extract $r::\$(borg list --short --last 1 $r)'" ;;
    git) echo "bash -c 'cd $e && GIT_DIR=$r/.git GIT_WORK_TREE=$e GIT_INDEX_FILE=$r.idx git checkout -f HEAD -- .'" ;;
    cp) echo "cp -r $r/v$(cat "$r.n") $e/data" ;;
    tarzstd) echo "bash -c 'zstd -d -q -c $r/v$(cat "$r.n").tar.zst | tar -C $e -xf -'" ;;
  esac
}
# Runs a tool once doing nothing, so that its program files (the JVM and Cairn's jar, Python and
# borg, the restic and git binaries) are in the page cache again after it was emptied: a tool is
# timed warm, as when it is used day to day, not at its first start after boot.
warm_program() {
  case $1 in
    cairn) CAIRN_DAEMON=off bin/cairn --version ;;
    cairnd) CAIRN_JAVA_OPTS=${CAIRN_HEAP:-} bin/cairn --version ;;
    restic) restic version ;;
    borg) borg --version ;;
    git) git --version ;;
    cp) cp --version ;;
    tarzstd) tar --version && zstd --version ;;
  esac > /dev/null 2>&1
}
# What a tool reads of its own when it stores a new version: its repository and cache, except
# for cp and tar, which only write theirs. (Cairn's cache/ holds materialized copies: not read.)
repo_paths() {
  case $1 in
    cp|tarzstd) ;;
    cairn|cairnd) echo "$2/config $2/index $2/refs $2/packs" ;;
    *) echo "$2 $2.cache" ;;
  esac
}
# Where a restore of DATA into TARGET puts the files.
restored_root() {
  case $1 in
    restic) echo "$2$3" ;;
    cp) echo "$2/data" ;;
    *) echo "$2" ;;
  esac
}
run_words() { eval "$1"; }
rotate() { # rep list...: the list rotated by rep, so each tool goes first in turn
  local k=$1; shift; local a=("$@") n=$#; local i
  for ((i = 0; i < n; i++)); do echo -n "${a[$(( (i + k) % n ))]} "; done
}

# ---- the mixed set -------------------------------------------------------------------------
mixed_rep() {
  local rep=$1 D=$W/mixed R=$W/repos E=$W/restore t order
  log "== mixed set, repetition $rep: generating $MIXED_BYTES"
  empty_trash "$D" "$R" "$E"; mkdir -p "$R"
  "${GEN[@]}" mixed --out "$D" --bytes "$MIXED_BYTES" | tee -a "$LOG"
  sleep 3   # Cairn's stat cache (and git's, borg's) distrust files modified < 2 s before hashing
  settle
  order=$(rotate "$rep" $TOOLS)
  wait_quiet
  for t in $order; do
    init_repo "$t" "$R/$t"
    WARM="$D" measure mixed "$rep" "$t" ingest_first "$R/$t" -- bash -c "$(ingest_cmd "$t" "$R/$t" "$D" mixed)"
  done
  wait_quiet
  for t in $order; do
    WARM="$D $(repo_paths "$t" "$R/$t")" measure mixed "$rep" "$t" reingest_unchanged "$R/$t" -- bash -c "$(ingest_cmd "$t" "$R/$t" "$D" mixed)"
  done
  local step=0 pct
  for pct in 1 10; do
    step=$((step + 1))
    "${GEN[@]}" change --dir "$D" --percent "$pct" --step "$step" | tee -a "$LOG"
    sleep 3
    wait_quiet
    for t in $order; do
      WARM="$D $(repo_paths "$t" "$R/$t")" measure mixed "$rep" "$t" "reingest_${pct}pct" "$R/$t" -- bash -c "$(ingest_cmd "$t" "$R/$t" "$D" mixed)"
    done
  done
  wait_quiet
  for t in $order; do
    mkdir -p "$E/$t"   # a fresh folder per tool: nothing is deleted between restores
    fs_probe
    WARM="$R/$t $R/$t.cache" measure mixed "$rep" "$t" restore "-" -- bash -c "$(restore_cmd "$t" "$R/$t" "$E/$t")"
    if [ "$rep" = 1 ]; then
      if diff -rq "$D" "$(restored_root "$t" "$E/$t" "$D")" > "$TMPD/diff.txt" 2>&1; then
        log "  $t restore verified: identical to the data folder"
      else
        log "  $t restore DIFFERS from the data folder:"; head -5 "$TMPD/diff.txt" | tee -a "$LOG"
      fi
    fi
  done
  for t in cairn cairnd; do
    [[ " $TOOLS " == *" $t "* ]] || continue
    # the cached read-only folder: first (cold: nothing materialized) and second time (warm)
    WARM="$R/$t" measure mixed "$rep" $t get_cold - -- $(cairn_cmd $t) --repo "$R/$t" get --project bench --name mixed
    WARM="$R/$t/refs $R/$t/config" measure mixed "$rep" $t get_warm - -- $(cairn_cmd $t) --repo "$R/$t" get --project bench --name mixed
  done
  trash "$D" "$R" "$E"
}

# ---- metadata scale on tiny files ----------------------------------------------------------
tool_version_ids() { # tool repo: the ids of the last two versions, "OLD NEW"
  local t=$1 r=$2
  case $t in
    cairn|cairnd) CAIRN_DAEMON=off bin/cairn --repo "$r" search --json |
             python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-2]["id"], v[-1]["id"])' ;;
    restic) restic -q -r "$r" --cache-dir "$r.cache" snapshots --json |
             python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-2]["short_id"], v[-1]["short_id"])' ;;
    borg) BORG_CACHE_DIR=$r.cache BORG_CONFIG_DIR=$r.config borg list --short --last 2 "$r" | tr '\n' ' ' ;;
    git) echo "HEAD~1 HEAD" ;;
  esac
}
diff_cmd() { # tool repo old new
  local t=$1 r=$2 a=$3 b=$4
  case $t in
    cairn|cairnd) echo "$(cairn_cmd "$t") --repo $r compare --verbose --source $a --target $b" ;;
    restic) echo "restic -q -r $r --cache-dir $r.cache diff $a $b" ;;
    borg) echo "env BORG_CACHE_DIR=$r.cache BORG_CONFIG_DIR=$r.config borg diff $r::$a $b" ;;
    git) echo "git --git-dir=$r/.git diff --name-status $a $b" ;;
  esac
}
list_cmd() { # tool repo new
  local t=$1 r=$2 b=$3
  case $t in
    cairn|cairnd) echo "$(cairn_cmd "$t") --repo $r list --id $b" ;;
    restic) echo "restic -q -r $r --cache-dir $r.cache ls $b" ;;
    borg) echo "env BORG_CACHE_DIR=$r.cache BORG_CONFIG_DIR=$r.config borg list $r::$b" ;;
    git) echo "git --git-dir=$r/.git ls-tree -r -l $b" ;;
  esac
}

tiny_run() {
  local D=$W/tiny R=$W/repos-tiny t order s
  # Every Cairn command here, the first ingest of a million files included, runs in 256 MiB of heap.
  local CAIRN_HEAP=-Xmx256m
  log "== metadata scale: generating $TINY_FILES tiny files (cairn with -Xmx256m)"
  [[ " $TINY_TOOLS " == *" cairnd "* ]] && daemon_up "$CAIRN_HEAP"
  empty_trash "$D" "$R"; mkdir -p "$R"
  "${GEN[@]}" tiny --out "$D" --files "$TINY_FILES" | tee -a "$LOG"
  sleep 3
  settle
  order=$(rotate 0 $TINY_TOOLS)
  wait_quiet
  for t in $order; do
    init_repo "$t" "$R/$t"
    measure tiny 1 "$t" ingest_first "$R/$t" -- bash -c "$(ingest_cmd "$t" "$R/$t" "$D" tiny)"
  done
  # three one-file changes, each committed by every tool (a sync of the whole folder)
  for s in 1 2 3; do
    "${GEN[@]}" touch --dir "$D" --files 1 --step "$s" | tee -a "$LOG"
    sleep 3
    wait_quiet
    for t in $(rotate "$s" $TINY_TOOLS); do
      measure tiny "$s" "$t" commit_1file "$R/$t" -- bash -c "$(ingest_cmd "$t" "$R/$t" "$D" tiny)"
    done
  done
  "${GEN[@]}" touch --dir "$D" --files 10 --step 4 > "$TMPD/touched.txt"; sleep 3
  wait_quiet
  for t in $order; do
    measure tiny 1 "$t" commit_10files "$R/$t" -- bash -c "$(ingest_cmd "$t" "$R/$t" "$D" tiny)"
  done
  for s in 1 2 3; do
    wait_quiet
    for t in $(rotate "$s" $TINY_TOOLS); do
      local ids; read -r -a ids <<< "$(tool_version_ids "$t" "$R/$t")"
      measure tiny "$s" "$t" diff_10 - -- bash -c "$(diff_cmd "$t" "$R/$t" "${ids[0]}" "${ids[1]}")"
      [ "$s" = 1 ] && log "  $t diff output: $(wc -l < "$TMPD/last-out.txt") lines"
      measure tiny "$s" "$t" list_all - -- bash -c "$(list_cmd "$t" "$R/$t" "${ids[1]}")"
      [ "$s" = 1 ] && log "  $t list output: $(wc -l < "$TMPD/last-out.txt") lines"
    done
  done
  if [[ " $TINY_TOOLS " == *" cairn "* ]]; then
    # in one process through the Dataset API, heap capped: no JVM start, no folder scan
    local ids; read -r -a ids <<< "$(tool_version_ids cairn "$R/cairn")"
    local MS=(java "${OPENS[@]}" -Xmx256m -cp "$BENCH_JAR" dev.cairn.benchmarks.sidebyside.MetadataScale)
    wait_quiet
    { "${MS[@]}" commit --repo "$R/cairn" --project bench --name tiny --scratch "$W/scratch" --count "$API_COMMITS" --folders $(( (TINY_FILES + 999) / 1000 ))
      "${MS[@]}" compare --repo "$R/cairn" --source "${ids[0]}" --target "${ids[1]}" --count 6
      "${MS[@]}" list --repo "$R/cairn" --id "${ids[1]}" --count 3; } 2>&1 | tee -a "$LOG" > "$OUT/inprocess.txt"
  fi
  # the latest version into an empty folder, once per tool (Cairn: the folder as it now is, the
  # API commits above included); checked by file count and bytes (a full diff of a million files
  # takes longer than the restores)
  local E=$W/restore-tiny
  empty_trash "$E"; mkdir -p "$E"; settle
  for t in $order; do
    mkdir -p "$E/$t"
    wait_quiet
    measure tiny 1 "$t" restore - -- bash -c "$(restore_cmd "$t" "$R/$t" "$E/$t" tiny)"
    local got want
    got=$(find "$(restored_root "$t" "$E/$t" "$D")" -type f -printf '%s\n' | awk '{n++; b+=$1} END {print n " files, " b " bytes"}')
    want=$(find "$D" -type f -printf '%s\n' | awk '{n++; b+=$1} END {print n " files, " b " bytes"}')
    log "  $t restore: $got (the folder: $want)"
  done
  trash "$D" "$R" "$W/scratch" "$E"
}

# ---- main ----------------------------------------------------------------------------------
mkdir -p "$W"
log "work directory $W on $(df -h "$W" | tail -1 | awk '{print $1, "(" $4 " free)"}'); results in $OUT"
# bin/cairn builds its class-data-sharing archive on first use (a few seconds, once per build):
# let that happen here, not inside the first timed command.
mkdir -p "$W/warmup/data" && echo warm > "$W/warmup/data/a"
bin/cairn --repo "$W/warmup/repo" sync --project warmup --name warmup --folder "$W/warmup/data" > /dev/null
rm -rf "$W/warmup"
# Built (above, if sources were newer) and recorded in machine.txt: an edit made while the harness
# runs must not make bin/cairn rebuild inside a timed command.
export CAIRN_NO_BUILD=1
trap daemon_down EXIT
[[ " $TOOLS " == *" cairnd "* ]] && [ "$DO_MIXED" = 1 ] && daemon_up ""
START=$(date +%s)
if [ "$DO_MIXED" = 1 ]; then
  for ((rep = 1; rep <= REPS; rep++)); do mixed_rep "$rep"; done
fi
if [ "$TINY_FILES" -gt 0 ]; then tiny_run; fi
log "done in $(( $(date +%s) - START )) s ($(( $(date +%s) - T_BEGIN )) s since the command started)"
rm -rf "$TMPD"
python3 benchmarks/sidebyside/summarize.py "$OUT" | tee "$OUT/table.md"
if [ "$WRITE" = 1 ]; then
  python3 benchmarks/sidebyside/summarize.py "$OUT" --write-results benchmarks/RESULTS.md
fi
if [ "$KEEP" = 0 ]; then
  t0=$(date +%s); rm -rf "$W"; log "work directory deleted in $(( $(date +%s) - t0 )) s"
fi
