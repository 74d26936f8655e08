#!/usr/bin/env python3
"""Turns JMH JSON results into markdown tables for RESULTS.md.

    python3 benchmarks/summarize.py benchmarks/results/HashBenchmark.json [...]

For throughput benchmarks with a Throughput aux counter the table shows MB/s (10^6 bytes/s):
the mean over measurement iterations, JMH's 99.9% error, and the slowest and fastest iteration
(on a shared machine, interference only ever slows an iteration down, so the fastest is the best
estimate of the uncontended speed). JMH's error is the 99.9% confidence half-width, which with
3 iterations is about 18 standard deviations wide. Other benchmarks show their primary score the same way.
"""
import json
import sys


def fmt(x):
    if x != x:  # NaN
        return "-"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def flat(raw):
    return [v for fork in raw for v in fork]


def main(paths):
    for path in paths:
        results = json.load(open(path))
        if not results:
            continue
        params = list(results[0].get("params", {}).keys())
        has_mb = any("mb" in r.get("secondaryMetrics", {}) for r in results)
        unit = "MB/s" if has_mb else results[0]["primaryMetric"]["scoreUnit"]
        print(f"| benchmark | {' | '.join(params)} | mean {unit} | ± error | slowest iter | fastest iter |"
              + (" ops/s |" if has_mb else ""))
        print("|---" * (len(params) + 5 + (1 if has_mb else 0)) + "|")
        for r in results:
            name = r["benchmark"].rsplit(".", 2)
            name = f"{name[-2]}.{name[-1]}"
            ps = [r.get("params", {}).get(p, "") for p in params]
            m = r["secondaryMetrics"]["mb"] if has_mb else r["primaryMetric"]
            it = flat(m["rawData"])
            slow, fast = (max(it), min(it)) if m["scoreUnit"].endswith("/op") else (min(it), max(it))
            row = [name] + ps + [fmt(m["score"]), fmt(m["scoreError"]), fmt(slow), fmt(fast)]
            if has_mb:
                row.append(fmt(r["primaryMetric"]["score"]))
            print("| " + " | ".join(row) + " |")
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
