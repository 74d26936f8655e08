#!/usr/bin/env bash
# verify of a 294 MB version with and without its cached folder (RESULTS.md, thirtieth round).
set -e
export CAIRN_DAEMON=off CAIRN_NO_BUILD=1 HOME=/tmp/vm-home
C="$(cd "$(dirname "$0")/../.." && pwd)/bin/cairn"   # this checkout's launcher (built first: mvn -q install -DskipTests)
rm -rf /tmp/vm-home /tmp/vm-data; mkdir -p /tmp/vm-data
python3 - <<'PY'
import os, random
random.seed(7)
for d in range(20):
    os.makedirs(f"/tmp/vm-data/d{d}", exist_ok=True)
    for f in range(100):
        n = random.randint(50_000, 250_000)
        with open(f"/tmp/vm-data/d{d}/f{f}.bin", "wb") as out:
            out.write(os.urandom(n // 2) + bytes(n - n // 2))
PY
du -sb /tmp/vm-data
ID=$($C sync --project p --name vm --folder /tmp/vm-data --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo id=$ID
$C verify --id $ID >/dev/null   # warm-up
for i in 1 2; do /usr/bin/time -f "no cached folder: %e s wall, %U s user" $C verify --id $ID >/dev/null; done
$C get --id $ID >/dev/null
$C verify --id $ID >/dev/null   # warm-up
for i in 1 2; do /usr/bin/time -f "with cached folder: %e s wall, %U s user" $C verify --id $ID >/dev/null; done
for i in 1 2; do /usr/bin/time -f "with cached folder, --filesize: %e s wall, %U s user" $C verify --id $ID --filesize >/dev/null; done
