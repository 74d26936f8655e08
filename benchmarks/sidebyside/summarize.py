#!/usr/bin/env python3
"""Turns a side-by-side run (benchmarks/results/sidebyside/<run>/) into markdown tables.

    python3 benchmarks/sidebyside/summarize.py RUN_DIR[:SECTION[=TOOLS]] [...] [--write-results benchmarks/RESULTS.md]

Several run directories are merged into one set of tables (e.g. a --no-mixed run of a million
tiny files beside a --tiny-files 0 run of the mixed set); each keeps its machine block. RUN_DIR:mixed
or RUN_DIR:tiny takes only that part of a run (the in-process figures belong to the tiny part), and
RUN_DIR:tiny=restic,borg,git only those tools' rows of it (the in-process figures come with "cairn"),
so that a newer run of Cairn alone can stand beside an older run's peers. Reads raw.tsv (one row
per timed command), machine.txt, inprocess.txt and log.txt. Every figure
is the median over repetitions. Ratios are Cairn / peer: below 1 means Cairn is faster (or
smaller). With --write-results, replaces the text between the side-by-side markers in RESULTS.md.
"""
import csv
import os
import re
import statistics
import sys

PEERS = ["restic", "borg", "git", "cp", "tarzstd"]
LABEL = {"cairn": "Cairn", "cairnd": "Cairn (daemon)", "restic": "restic", "borg": "borg", "git": "git", "cp": "cp -r",
         "tarzstd": "tar \\| zstd -1"}
BEGIN = "<!-- sidebyside:begin (written by benchmarks/sidebyside/summarize.py) -->"
END = "<!-- sidebyside:end -->"


def load(run):
    with open(os.path.join(run, "raw.tsv")) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t")]
    for r in rows:
        # The same command without the JVM's start and exit (and bin/cairn's own work): its time with
        # the sync, less what passed outside main(). cmd_ms alone leaves the sync out, which would
        # compare Cairn without it against peers with it.
        wall, wall_sync, cmd = num(r.get("wall_s")), num(r.get("wall_sync_s")), num(r.get("cmd_ms"))
        r["nojvm_s"] = (wall_sync - wall + cmd / 1000) if None not in (wall, wall_sync, cmd) else ""
    return rows


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


class Run:
    def __init__(self, rows):
        self.rows = rows

    def vals(self, section, tool, op, field):
        return [num(r.get(field)) for r in self.rows
                if r["section"] == section and r["tool"] == tool and r["op"] == op and r["rc"] == "0"]

    def m(self, section, tool, op, field="wall_sync_s"):
        return med(self.vals(section, tool, op, field))

    def tools(self, section):
        seen = []
        for r in self.rows:
            if r["section"] == section and r["tool"] not in seen:
                seen.append(r["tool"])
        return seen

    def growth(self, section, tool, op, prev):
        """Median over repetitions of size(op) - size(prev)."""
        out = []
        for rep in sorted({r["rep"] for r in self.rows if r["section"] == section}):
            a = [num(r["size_bytes"]) for r in self.rows if r["section"] == section and r["tool"] == tool
                 and r["op"] == op and r["rep"] == rep]
            b = [num(r["size_bytes"]) for r in self.rows if r["section"] == section and r["tool"] == tool
                 and r["op"] == prev and r["rep"] == rep]
            if a and b and a[0] is not None and b[0] is not None:
                out.append(a[0] - b[0])
        return med(out)

    def failures(self):
        return [r for r in self.rows if r["rc"] != "0"]


def fmt_s(v):
    if v is None:
        return "-"
    return f"{v:.2f} s" if v >= 0.1 else f"{v * 1000:.0f} ms"


def fmt_mb(v):
    return "-" if v is None else f"{v / 1e6:.1f} MB"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}"


def mixed_table(run, me="cairn"):
    """Cairn's figures and its ratios to each peer; me="cairnd": the same commands through the
    daemon, with Cairn in a JVM of its own as the first peer."""
    tools = run.tools("mixed")
    if me not in tools:
        return []
    peers = [t for t in (["cairn"] if me == "cairnd" else []) + PEERS if t in tools]
    ops = [("first ingest", "ingest_first"), ("re-ingest, unchanged", "reingest_unchanged"),
           ("re-ingest after a 1% change", "reingest_1pct"), ("re-ingest after a 10% change", "reingest_10pct"),
           ("restore latest to an empty folder", "restore")]
    lines = [f"| metric (median) | {LABEL[me]} | " + " | ".join(LABEL[p] for p in peers) + " |",
             "|---|---|" + "---|" * len(peers)]

    def row(name, cv, pvs, fmt, extra=""):
        cells = [f"{fmt(cv)}{extra}"]
        for pv in pvs:
            cells.append("-" if pv is None else f"**{ratio(cv, pv)}** ({fmt(pv)})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    for name, op in ops:
        cv = run.m("mixed", me, op)
        cmd = run.m("mixed", me, op, "nojvm_s")
        extra = f" ({fmt_s(cmd)} w/o JVM start)" if cmd is not None and me == "cairn" else ""
        row(name + ", incl. sync", cv, [run.m("mixed", p, op) for p in peers], fmt_s, extra)
    gw = run.m("mixed", me, "get_warm")
    gwc = run.m("mixed", me, "get_warm", "nojvm_s")
    row("warm get (Cairn: cached folder again; peers: restore)", gw,
        [run.m("mixed", p, "restore") for p in peers], fmt_s,
        f" ({fmt_s(gwc)} w/o JVM start)" if gwc is not None and me == "cairn" else "")
    row("repository size after first ingest", run.m("mixed", me, "ingest_first", "size_bytes"),
        [run.m("mixed", p, "ingest_first", "size_bytes") for p in peers], fmt_mb)
    for name, op, prev in [("growth: unchanged version", "reingest_unchanged", "ingest_first"),
                           ("growth: 1% version", "reingest_1pct", "reingest_unchanged"),
                           ("growth: 10% version", "reingest_10pct", "reingest_1pct")]:
        row(name, run.growth("mixed", me, op, prev), [run.growth("mixed", p, op, prev) for p in peers], fmt_mb)
    for name, op in [("CPU time (user + sys), first ingest", "ingest_first"), ("CPU time, restore", "restore")]:
        if run.m("mixed", me, op, "cpu_s") is not None:
            row(name, run.m("mixed", me, op, "cpu_s"), [run.m("mixed", p, op, "cpu_s") for p in peers], fmt_s)
    for name, op in [("peak RSS, first ingest", "ingest_first"), ("peak RSS, re-ingest 10%", "reingest_10pct"),
                     ("peak RSS, restore", "restore")]:
        row(name, kb(run.m("mixed", me, op, "maxrss_kb")),
            [kb(run.m("mixed", p, op, "maxrss_kb")) for p in peers], fmt_mb)
    return lines


def kb(v):
    return None if v is None else v * 1024


def tiny_table(run):
    tools = run.tools("tiny")
    if not tools:
        return []
    order = [t for t in ["cairn", "cairnd"] + PEERS if t in tools]
    lines = ["| operation (median) | " + " | ".join(LABEL[t] for t in order) + " |", "|---|" + "---|" * len(order)]
    ops = [("first ingest", "ingest_first"), ("commit a one-file change (whole-folder sync)", "commit_1file"),
           ("commit a 10-file change", "commit_10files"), ("diff of the two versions 10 files apart", "diff_10"),
           ("list the whole version", "list_all"), ("restore the latest version to an empty folder", "restore")]
    for name, op in ops:
        if all(run.m("tiny", t, op) is None for t in order):
            continue  # runs before the tiny restore was measured
        cells = []
        for t in order:
            v = run.m("tiny", t, op)
            cell = fmt_s(v)
            if t == "cairn":
                c = run.m("tiny", t, op, "nojvm_s")
                if c is not None:
                    cell += f" ({fmt_s(c)} w/o JVM)"
            elif t != "cairnd" and v is not None and run.m("tiny", "cairn", op) is not None:
                cell = f"**{ratio(run.m('tiny', 'cairn', op), v)}** ({cell})"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for name, op, field, f in [("bytes written by a one-file commit", "commit_1file", "fs_out_bytes", fmt_bytes),
                               ("peak RSS, first ingest", "ingest_first", "maxrss_kb", lambda v: fmt_mb(kb(v))),
                               ("peak RSS, one-file commit", "commit_1file", "maxrss_kb", lambda v: fmt_mb(kb(v))),
                               ("peak RSS, list", "list_all", "maxrss_kb", lambda v: fmt_mb(kb(v))),
                               ("peak RSS, restore", "restore", "maxrss_kb", lambda v: fmt_mb(kb(v)))]:
        if all(run.m("tiny", t, op, field) is None for t in order):
            continue
        lines.append(f"| {name} | " + " | ".join(f(run.m("tiny", t, op, field)) for t in order) + " |")
    sizes = [run.m("tiny", t, "ingest_first", "size_bytes") for t in order]
    lines.append("| repository size | " + " | ".join(fmt_mb(s) for s in sizes) + " |")
    growth = []
    for t in order:
        g = [run.growth("tiny", t, "commit_1file", "ingest_first")]
        growth.append(g[0])
    return lines


def fmt_bytes(v):
    if v is None:
        return "-"
    if v < 1 << 20:
        return f"{v / 1024:.0f} KiB"
    return f"{v / (1 << 20):.1f} MiB"


def inprocess(run_dir):
    p = os.path.join(run_dir, "inprocess.txt")
    if not os.path.exists(p):
        return {}
    ops = {}
    for line in open(p):
        kv = dict(x.split("=", 1) for x in line.split() if "=" in x)
        if "op" in kv:
            ops.setdefault(kv["op"], []).append(kv)
    return ops


def inprocess_table(ops):
    if not ops:
        return []
    lines = ["| operation (Dataset API, one JVM, -Xmx256m) | first | median of the rest | notes |", "|---|---|---|---|"]
    for op, name in [("commit1", "one-file commit: create + add 1 file + close"),
                     ("compare", "diff of two versions 10 files apart"), ("list", "list every file")]:
        xs = ops.get(op, [])
        if not xs:
            continue
        ms = [float(x["ms"]) for x in xs]
        rest = ms[1:] or ms
        note = ""
        if op == "commit1":
            wb = [int(x["write_bytes"]) for x in xs[1:] or xs]
            wc = [int(x["wchar"]) for x in xs[1:] or xs]
            gr = [int(x["repo_growth"]) for x in xs[1:] or xs]
            note = (f"written (median of {len(wc)}): {fmt_bytes(statistics.median(wb))} to disk (write_bytes), "
                    f"{fmt_bytes(statistics.median(wc))} by write calls (mean {fmt_bytes(statistics.mean(wc))}, "
                    f"the index's gatherings of pending packs included); repository growth {fmt_bytes(statistics.median(gr))}")
        elif op == "compare":
            note = f"{xs[0].get('entries')} entries"
        elif op == "list":
            note = f"{xs[0].get('files')} files; heap used {int(xs[-1]['heap_used']) >> 20} MiB of {int(xs[-1]['heap_max']) >> 20}"
        lines.append(f"| {name} | {ms[0]:.1f} ms | {statistics.median(rest):.1f} ms | {note} |")
    return lines


def targets(run, ops):
    m = lambda t, op, f="wall_sync_s": run.m("mixed", t, op, f)
    out = ["| target | measured (CLI, incl. JVM start) | w/o JVM start | through `cairn daemon` | met? |",
           "|---|---|---|---|---|"]

    def line(name, v, limit, v2=None, vd=None, fmt=lambda x: f"{x:.2f}"):
        if v is None:
            out.append(f"| {name} | - | - | - | not measured |")
            return
        met = ("yes" if v <= limit else "yes, through the daemon" if vd is not None and vd <= limit
               else "w/o JVM start only" if v2 is not None and v2 <= limit else "**no**")
        out.append(f"| {name} | {fmt(v)} | {fmt(v2) if v2 is not None else '-'} | {fmt(vd) if vd is not None else '-'} | {met} |")

    def cmd(t, op):
        return m(t, op, "nojvm_s")

    def r(a, b):
        return None if a is None or b is None or b == 0 else a / b

    ci, ri, cpi = m("cairn", "ingest_first"), m("restic", "ingest_first"), m("cp", "ingest_first")
    di = m("cairnd", "ingest_first")
    line("first ingest: Cairn / restic time <= 0.67 (1.5x restic's speed)", r(ci, ri), 1 / 1.5, r(cmd("cairn", "ingest_first"), ri), r(di, ri))
    line("first ingest: Cairn / (cp -r + sync) time <= 1.25", r(ci, cpi), 1.25, r(cmd("cairn", "ingest_first"), cpi), r(di, cpi))
    cu, ru = m("cairn", "reingest_unchanged"), m("restic", "reingest_unchanged")
    line("re-ingest unchanged: Cairn / restic time <= 0.25 (4x faster)", r(cu, ru), 0.25, r(cmd("cairn", "reingest_unchanged"), ru),
         r(m("cairnd", "reingest_unchanged"), ru))
    c1 = m("cairn", "reingest_1pct")
    line("re-ingest after 1%: Cairn time / Cairn first ingest < 0.10", r(c1, ci), 0.10,
         r(cmd("cairn", "reingest_1pct"), cmd("cairn", "ingest_first")), r(m("cairnd", "reingest_1pct"), di))
    cr, rr = m("cairn", "restore"), m("restic", "restore")
    line("cold restore: Cairn / restic time <= 0.5 (2x restic's speed)", r(cr, rr), 0.5, r(cmd("cairn", "restore"), rr),
         r(m("cairnd", "restore"), rr))
    gw, gc = m("cairn", "get_warm"), m("cairn", "get_cold")
    line("warm get / cold get time <= 0.05 (20x faster)", r(gw, gc), 0.05, r(cmd("cairn", "get_warm"), cmd("cairn", "get_cold")),
         r(m("cairnd", "get_warm"), m("cairnd", "get_cold")))
    xs = ops.get("commit1", [])
    if xs:
        rest = xs[1:] or xs
        ms = statistics.median(float(x["ms"]) for x in rest)
        wb = statistics.median(int(x["write_bytes"]) for x in rest)
        cli = run.m("tiny", "cairn", "commit_1file")
        clib = run.m("tiny", "cairn", "commit_1file", "fs_out_bytes")
        out.append(f"| one-file commit on the tiny-file set < 100 ms | CLI sync of the folder: {fmt_s(cli)} | "
                   f"API: {ms:.1f} ms | {fmt_s(run.m('tiny', 'cairnd', 'commit_1file'))} (CLI sync) | {'yes (API)' if ms < 100 else '**no**'} |")
        growth = statistics.median(int(x["repo_growth"]) for x in rest)
        wchar = statistics.median(int(x["wchar"]) for x in rest)
        wchar_mean = statistics.mean(int(x["wchar"]) for x in rest)
        # Three readings of "bytes written": what the repository grew by (packs, index, refs),
        # what the process passed to write calls, and the pages it dirtied (write_bytes, which
        # also counts the file system's own metadata blocks for every file created or renamed).
        met = "yes (stored bytes)" if growth < 65536 else "**no**"
        if wchar_mean >= 65536:
            met += ("; by write calls yes for the median, **no** for the mean (the index's gatherings)"
                    if wchar < 65536 else "; **no** by write calls")
        else:
            met += "; by write calls too, median and mean"
        # The mean covers the commits of this run only: the merges of the index's runs into its
        # object table come once in thousands of commits (IndexWriteCost measures those).
        out.append(f"| one-file commit writes < 64 KiB | CLI sync: {fmt_bytes(clib)} of pages dirtied | "
                   f"API: {fmt_bytes(growth)} stored, {fmt_bytes(wchar)} by write calls (mean {fmt_bytes(wchar_mean)} "
                   f"over {len(rest)} commits; over long series, `IndexWriteCost`), {fmt_bytes(wb)} of pages dirtied | "
                   f"{fmt_bytes(run.m('tiny', 'cairnd', 'commit_1file', 'fs_out_bytes'))} of pages dirtied | {met} |")
    return out


def parse_spec(spec):
    """RUN_DIR[:SECTION[=TOOL,...]] as (run dir, section or None, tools or None)."""
    m = re.match(r"^(.*):(mixed|tiny)(?:=([\w,]+))?$", spec)
    if not m:
        return spec, None, None
    return m.group(1), m.group(2), m.group(3).split(",") if m.group(3) else None


def render(specs):
    parts = [parse_spec(spec) for spec in specs]
    run = Run([r for d, section, tools in parts for r in load(d)
               if section in (None, r["section"]) and (tools is None or r["tool"] in tools)])
    ops = {}
    for d, section, tools in parts:
        if section in (None, "tiny") and (tools is None or "cairn" in tools):
            for op, xs in inprocess(d).items():
                ops.setdefault(op, []).extend(xs)
    loads = [num(r["other_load"]) for r in run.rows]
    loads = [x for x in loads if x is not None]
    out = []
    quick = False
    for run_dir, section, tools in parts:
        machine = open(os.path.join(run_dir, "machine.txt")).read().strip() if os.path.exists(
            os.path.join(run_dir, "machine.txt")) else ""
        meta = dict(re.findall(r"(\w+)=(\S+)", machine.splitlines()[0])) if machine else {}
        quick = quick or meta.get("mode") == "quick"
        out += [f"Run `{os.path.basename(run_dir)}` ({meta.get('mode', '?')} mode: mixed set {meta.get('mixed_bytes', '?')}, "
                f"{meta.get('reps', '?')} repetitions; {meta.get('tiny_files', '?')} tiny files; "
                f"page cache dropped before each command: {'yes' if meta.get('drop_caches') == '1' else 'no'}). "
                + (f"Only its {section} part is used here" + (f", for {', '.join(tools)}" if tools else "") + ". "
                   if section else "")
                + f"Raw rows: `{run_dir}/raw.tsv`.", "",
                "```", machine, "```", ""]
    out += [f"Load from other processes during the timed commands (share of the {os.cpu_count()} cores): "
            f"median {100 * med(loads):.0f}%, max {100 * max(loads):.0f}%." if loads else "", ""]
    mt = mixed_table(run)
    if mt:
        out += ["### Mixed set: Cairn / peer ratios", "",
                "Each peer cell is **Cairn / peer** (below 1: Cairn is faster or smaller) and, in brackets, "
                "the peer's own figure. Times are wall clock of the command plus a `sync`, "
                "including JVM start for Cairn.", ""] + mt + [""]
    dt = mixed_table(run, "cairnd")
    if dt:
        out += ["The same commands through `cairn daemon` (started for the folder before the first ingest; "
                "`bin/cairn` hands each command to it through its client, `bin/cairn-client`). CPU, peak RSS and bytes written "
                "add the daemon's to the client's; the first column of ratios is against Cairn in a JVM "
                "of its own.", ""] + dt + [""]
    tt = tiny_table(run)
    if tt:
        out += ["### Metadata scale (tiny files; every Cairn command with -Xmx256m)", "",
                "Every tool commits by scanning the whole folder (Cairn: `cairn sync`), which stats every file.", ""] + tt + [""]
    it = inprocess_table(ops)
    if it:
        out += ["In one process through the `Dataset` API (no JVM start, no folder scan; "
                "the first operation includes class loading and JIT warm-up):", ""] + it + [""]
    if run.rows:
        out += ["### Targets (issue 6)", ""]
        if quick:
            out += ["Quick mode: read these verdicts with care. The targets are set for a set of "
                    "hundreds of MB, where the work dominates; on the quick mode's small set, JVM start "
                    "and fixed costs weigh more, for every tool. Judge them on a full run.", ""]
        out += targets(run, ops) + [""]
    fails = run.failures()
    if fails:
        out += ["Failed commands (excluded from the medians): " + ", ".join(
            f"{r['tool']} {r['op']} rep {r['rep']} (rc {r['rc']})" for r in fails), ""]
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    path = None
    if "--write-results" in args:
        i = args.index("--write-results")
        path = args[i + 1]
        del args[i:i + 2]
    text = render(args)
    if path:
        doc = open(path).read()
        block = f"{BEGIN}\n{text}\n{END}"
        if BEGIN in doc and END in doc:
            doc = doc[:doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n" + block + "\n"
        open(path, "w").write(doc)
        print(f"wrote {path}", file=sys.stderr)
    else:
        print(text)


if __name__ == "__main__":
    main()
