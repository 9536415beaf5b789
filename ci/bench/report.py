#!/usr/bin/env python3
"""Render the ci/bench results table for one corpus size.

    report.py --size SIZE --cases CASES.tsv --corpus DIR --out results-SIZE.md [--meta K=V ...]

CASES.tsv has one line per case (written by ci/bench/run):

    id  scope  case  tool  json  runs_note  scale  note

scope is `tree`, `ns`, `floor`, `diff`, `diff-all`, `write` or `write-shm`; `json` is a hyperfine (or timeit.py) JSON
export, or `-` for a skipped case; `scale` multiplies the measured times (used
to extrapolate a sampled loop to the whole tree, 1 otherwise). The ratio column
is peer median / optionsctl median for the optionsctl row of the same scope
(`floor` rows are compared with the whole-tree row: a value below 1 means the
floor is faster than optionsctl, as it should be).

The Markdown goes to stdout and to --out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    if x >= 0.1:
        return f"{x:.3f}"
    return f"{x:.4f}"


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    if r >= 100:
        return f"{r:.0f}×"
    if r >= 10:
        return f"{r:.1f}×"
    return f"{r:.2f}×"


def load_case(line: str) -> dict:
    parts = line.rstrip("\n").split("\t")
    parts += [""] * (8 - len(parts))
    cid, scope, case, tool, jpath, runs_note, scale, note = parts[:8]
    row = {"id": cid, "scope": scope, "case": case, "tool": tool, "note": note,
           "median": None, "min": None, "runs": runs_note or "—", "failed": False}
    scale_f = float(scale or 1)
    if "FAILED" in note:
        row["failed"] = True
    if jpath and jpath != "-":
        try:
            res = json.loads(Path(jpath).read_text())["results"][0]
            row["median"] = res["median"] * scale_f
            row["min"] = res["min"] * scale_f
            row["runs"] = str(len(res.get("times") or [])) if not runs_note else runs_note
            codes = [c for c in (res.get("exit_codes") or []) if c not in (0, None)]
            if codes:
                row["note"] = (row["note"] + "; " if row["note"] else "") + \
                    f"nonzero exit codes {sorted(set(codes))}"
        except (OSError, ValueError, KeyError, IndexError):
            row["failed"] = True
            row["note"] = (row["note"] + "; " if row["note"] else "") + "no result (failed)"
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", required=True)
    ap.add_argument("--cases", required=True, type=Path)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--meta", action="append", default=[], metavar="K=V")
    args = ap.parse_args(argv)

    rows = [load_case(l) for l in args.cases.read_text().splitlines() if l.strip()]
    order = {"tree": 0, "ns": 1, "floor": 2, "diff": 3, "diff-all": 4, "write": 5, "write-shm": 6}
    rows.sort(key=lambda r: order.get(r["scope"], 3))  # stable: keeps run order within a scope
    ref = {}
    for r in rows:
        if r["tool"].startswith("optionsctl") and r["median"]:
            ref.setdefault(r["scope"], r["median"])
    ref.setdefault("floor", ref.get("tree"))

    out = [f"### ci/bench results: {args.size}", ""]
    if args.corpus and (args.corpus / "corpus.json").is_file():
        c = json.loads((args.corpus / "corpus.json").read_text())
        out.append(
            f"Corpus: {c['namespaces']} namespaces × {c['options_per_namespace']} options, "
            f"{c['values_files']:,} values files, {c['value_entries']:,} value entries, "
            f"values YAML {c['values_yaml_bytes'] / 1e6:.2f} MB / {c['values_yaml_lines']:,} lines, "
            f"schemas {c['schemas_json_bytes'] / 1e6:.2f} MB; NS0 = `{c['ns0']}` "
            f"({len(c['ns0_targets'])} targets); seed {c['seed']}"
            + (f", HEAD `{c['head'][:8]}`" if c.get("head") else "") + ".")
    for kv in args.meta:
        k, _, v = kv.partition("=")
        out.append(f"{k}: {v}")
    out.append("")
    out.append("| size | case | tool | median s | min s | runs | ratio vs optionsctl (peer median / optionsctl median) |")
    out.append("|---|---|---|---|---|---|---|")
    notes = []
    for r in rows:
        base = ref.get(r["scope"])
        if r["tool"].startswith("optionsctl"):
            ratio = "—"
            if r["median"] and base and abs(r["median"] - base) > 1e-12:
                ratio = fmt_ratio(r["median"] / base) + " of the first optionsctl row"
            elif r["median"]:
                ratio = "1×"
        elif r["median"] is not None and base:
            ratio = fmt_ratio(r["median"] / base)
        else:
            ratio = "—" if (base or r["failed"]) else "n/a (no optionsctl)"
        tool = r["tool"]
        if r["note"]:
            notes.append(r["note"])
            tool += f" [{len(notes)}]"
        med = "not run" if r["median"] is None and not r["failed"] else fmt_s(r["median"])
        if r["failed"]:
            med = "FAILED"
        out.append(f"| {args.size} | {r['case']} | {tool} | {med} | {fmt_s(r['min'])} | "
                   f"{r['runs']} | {ratio} |")
    if notes:
        out.append("")
        for i, n in enumerate(notes, 1):
            out.append(f"[{i}] {n}")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
