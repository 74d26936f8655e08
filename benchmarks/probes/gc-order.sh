#!/bin/bash
# verify of a version before and after a gc that rewrites every pack (benchmarks/RESULTS.md,
# twenty-eighth round): 60,000 files of 1-8 KiB, then 1% changed; the old version deleted.
# Usage: benchmarks/probes/gc-order.sh [WORK_DIR]   (default /tmp/gcorder; needs a built tools/target/cairn.jar)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
W=${1:-/tmp/gcorder}
export CAIRN_DAEMON=off CAIRN_NO_BUILD=1 HOME=$W/home
C=$HERE/../../bin/cairn
rm -rf "$W/data" "$W/home"; mkdir -p "$W/home"
python3 "$HERE/gc-order-gen.py" "$W/data" > /dev/null
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
V1=$($C sync --project s --name big --folder "$W/data" --json | id)
python3 "$HERE/gc-order-mutate.py" "$W/data"
V2=$($C sync --project s --name big --folder "$W/data" --json | id)
for i in 1 2; do /usr/bin/time -f "verify before gc: %e s wall, %U s user" $C verify --id "$V2" > /dev/null; done
$C delete --id "$V1" --force > /dev/null
$C gc --grace 0s --max-unused 0 --json
for i in 1 2; do /usr/bin/time -f "verify after full gc: %e s wall, %U s user" $C verify --id "$V2" > /dev/null; done
