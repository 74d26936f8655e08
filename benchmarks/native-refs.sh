#!/usr/bin/env bash
# Native references on this machine, on the very bytes the JMH benchmarks use (DataFiles):
# openssl (SHA-256), b3sum (BLAKE3), zstd (levels 1/3/6, compress and decompress), and a
# write + fsync with dd (what a pack write cannot beat). Output: benchmarks/results/native-refs.md
# plus raw hyperfine JSON and `openssl speed` / `zstd -b` logs next to it.
#
#   benchmarks/native-refs.sh [DATA_DIR]     (default /tmp/cairn-bench-data; needs hyperfine,
#                                            b3sum, zstd, openssl: apt-get install hyperfine b3sum zstd)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-/tmp/cairn-bench-data}
OUT=benchmarks/results/native
JAR=benchmarks/target/benchmarks.jar
mkdir -p "$OUT"
if [ ! -f "$DATA/random-256MiB.bin" ]; then
  java -cp "$JAR" dev.cairn.benchmarks.DataFiles "$DATA"
fi
R256=$DATA/random-256MiB.bin
R32=$DATA/random-32MiB.bin
T64=$DATA/text-64MiB.csv
T32=$DATA/text-32MiB.csv
cat "$R256" "$R32" "$T64" "$T32" > /dev/null   # into the page cache
zstd -q -f -1 "$T64" -o "$DATA/text-64MiB.csv.zst"
zstd -q -f -1 "$R256" -o "$DATA/random-256MiB.bin.zst"

{
  echo "date: $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  openssl version; b3sum --version; zstd --version; hyperfine --version
} > "$OUT/versions.txt"

# In-memory block speeds: openssl's own loop on 4 KiB and 1 MiB blocks, zstd's on 1 MiB blocks.
openssl speed -evp sha256 -bytes 4096 -seconds 3 2>&1 | tail -3 > "$OUT/openssl-speed-4096.txt"
openssl speed -evp sha256 -bytes 1048576 -seconds 3 2>&1 | tail -3 > "$OUT/openssl-speed-1048576.txt"
zstd -q -b1 -e6 -B1048576 -i3 "$R32" > "$OUT/zstd-bench-random.txt" 2>&1
zstd -q -b1 -e6 -B1048576 -i3 "$T32" > "$OUT/zstd-bench-text.txt" 2>&1

# Whole files through the command-line tools (process start included, negligible at this size).
run() { # name bytes command...
  local name=$1 bytes=$2; shift 2
  hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/$name.json" "$*" > /dev/null
  echo "$name $bytes"
}
{
  run openssl-sha256-random256 268435456 openssl dgst -sha256 "$R256"
  run b3sum-1thread-random256 268435456 b3sum --num-threads 1 "$R256"
  run b3sum-2threads-random256 268435456 b3sum --num-threads 2 "$R256"
  run sha256sum-random256 268435456 sha256sum "$R256"
  for l in 1 3 6; do
    run zstd-$l-random256 268435456 zstd -q -c -$l "$R256"
    run zstd-$l-text64 67108864 zstd -q -c -$l "$T64"
  done
  run zstd-d-text64 67108864 zstd -q -d -c "$DATA/text-64MiB.csv.zst"
  run zstd-d-random256 268435456 zstd -q -d -c "$DATA/random-256MiB.bin.zst"
  hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/dd-write-fsync-256.json" \
    --prepare "rm -f $DATA/dd-out" "dd if=$R256 of=$DATA/dd-out bs=1M conv=fsync status=none" > /dev/null
  echo "dd-write-fsync-256 268435456"
  hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/dd-write-fsync-32.json" \
    --prepare "rm -f $DATA/dd-out" "dd if=$R32 of=$DATA/dd-out bs=1M conv=fsync status=none" > /dev/null
  echo "dd-write-fsync-32 33554432"
  rm -f "$DATA/dd-out"
} > "$OUT/runs.txt"

python3 - "$OUT" > benchmarks/results/native-refs.md <<'PY'
import json, sys, os
out = sys.argv[1]
print("| reference | command | bytes | mean s | min s | max s | MB/s (mean) |")
print("|---|---|---|---|---|---|---|")
for line in open(os.path.join(out, "runs.txt")):
    name, size = line.split()
    r = json.load(open(os.path.join(out, name + ".json")))["results"][0]
    size = int(size)
    print(f"| {name} | `{r['command']}` | {size} | {r['mean']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {size / 1e6 / r['mean']:.0f} |")
PY
cat benchmarks/results/native-refs.md
