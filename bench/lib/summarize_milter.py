#!/usr/bin/env python3
"""Summarise run_milter_bench.sh loadgen records into JSON and Markdown.

Ratios compare the filter under test with the null-filter baseline measured
in the same invocation (medians over rounds), which is the only fair
comparison on a shared, noisy machine. Standard library only.
"""

import argparse
import glob
import json
import os
import platform
import statistics


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=1):
    return "-" if value is None else ("%.*f" % (digits, value))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--stamp", required=True)
    ap.add_argument("--filter-name", required=True)
    ap.add_argument("--baseline-name", default="null filter with TCP_NODELAY")
    ap.add_argument("--config", default="")
    ap.add_argument("--out", required=True, help="path prefix; .json and .md are added")
    args = ap.parse_args()

    runs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(args.runs, "*.json")))]
    main_runs = [r for r in runs if r.get("role") in ("baseline", "filter")]
    matrix = [r for r in runs if r.get("role", "").startswith("m-")]

    summary = []
    for transport in ("inet", "unix"):
        row = {"transport": transport}
        for role in ("baseline", "filter"):
            rs = [r for r in main_runs if r["role"] == role and r["transport"] == transport]
            row[role] = {
                "msgs_per_s": median([r.get("msgs_per_s") for r in rs]),
                "p50_ms": median([r.get("p50_ms") for r in rs]),
                "p99_ms": median([r.get("p99_ms") for r in rs]),
                "cpu_us_per_msg": median([r.get("daemon_cpu_us_per_msg") for r in rs]),
                "cpu_cores": median([r.get("daemon_cpu_cores") for r in rs]),
                "peak_rss_kb": max([r.get("daemon_peak_rss_kb") or 0 for r in rs] or [0]),
                "errors": sum(r.get("errors", 0) for r in rs),
                "runs": len(rs),
            }
        b, f = row["baseline"]["msgs_per_s"], row["filter"]["msgs_per_s"]
        row["throughput_ratio_filter_over_baseline"] = (f / b) if b and f is not None else None
        # Each round runs the two back to back, so a round's ratio shares its
        # moment's load; the median of those ratios shrugs off a round that a
        # neighbour on the machine disturbed for one side only.
        paired = []
        for rnd in sorted({r["round"] for r in main_runs if r["transport"] == transport}):
            pair = {r["role"]: r.get("msgs_per_s") for r in main_runs
                    if r["transport"] == transport and r["round"] == rnd}
            if pair.get("baseline") and pair.get("filter") is not None:
                paired.append(pair["filter"] / pair["baseline"])
        row["paired_round_ratios"] = paired
        row["throughput_ratio_paired_median"] = median(paired)
        bc, fc = row["baseline"]["cpu_us_per_msg"], row["filter"]["cpu_us_per_msg"]
        row["cpu_ratio_filter_over_baseline"] = (fc / bc) if bc and fc is not None else None
        summary.append(row)

    doc = {
        "kind": "milter", "date": args.stamp, "host": platform.node(),
        "cpus": os.cpu_count(), "kernel": platform.release(), "config": args.config,
        "filter_under_test": args.filter_name, "baseline": args.baseline_name,
        "note": "shared noisy machine: compare ratios from the same run, not absolute numbers",
        "summary": summary, "matrix": matrix, "runs": main_runs,
    }
    with open(args.out + ".json", "w") as out:
        json.dump(doc, out, indent=2)

    md = ["# Milter benchmark %s" % args.stamp, "",
          "Host %s, %s CPUs, kernel %s. %s." % (doc["host"], doc["cpus"], doc["kernel"], args.config),
          "Filter under test: `%s`. Baseline: %s." % (args.filter_name, args.baseline_name),
          "Shared, noisy machine: read the ratios (same run), not absolute figures.", "",
          "| socket | who | msgs/s | p50 ms | p99 ms | CPU us/msg | CPU cores | peak RSS KiB | errors |",
          "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in summary:
        for role in ("baseline", "filter"):
            r = row[role]
            md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                row["transport"], role, fmt(r["msgs_per_s"]), fmt(r["p50_ms"], 3),
                fmt(r["p99_ms"], 3), fmt(r["cpu_us_per_msg"]), fmt(r["cpu_cores"], 2),
                r["peak_rss_kb"], r["errors"]))
        md.append("| %s | **filter/baseline** | %s | | | %s | | | |" % (
            row["transport"], fmt(row["throughput_ratio_filter_over_baseline"], 2),
            fmt(row["cpu_ratio_filter_over_baseline"], 2)))
        md.append("| %s | per-round ratios (median %s) | %s | | | | | | |" % (
            row["transport"], fmt(row["throughput_ratio_paired_median"], 2),
            " ".join(fmt(x, 2) for x in row["paired_round_ratios"])))
    if matrix:
        md += ["", "## Null filter, one connection: TCP_NODELAY and SMFIP_NR_* effects", "",
               "| case | socket | filter command | client | msgs/s | p50 ms | p99 ms |",
               "|---|---|---|---|---:|---:|---:|"]
        for r in matrix:
            cmd = r.get("command", "").split("portcullis_null_filter", 1)[-1]
            md.append("| %s | %s | `null_filter%s` | %s | %s | %s | %s |" % (
                r["role"][2:], r["transport"], cmd,
                "nodelay" if r.get("client_nodelay") else "Nagle on (like Postfix)",
                fmt(r.get("msgs_per_s")), fmt(r.get("p50_ms"), 3), fmt(r.get("p99_ms"), 3)))
    with open(args.out + ".md", "w") as out:
        out.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
