"""Targets, evaluation and the printed table of ``make bench`` (no Django, no network)."""

import json

TARGET_RATIO = 0.5  # every HTML page: at least half the trivial view's requests per second
TARGET_P99_MS = 250.0  # every page
TARGET_ERRORS = 0  # every page: non-2xx responses and socket errors


def parse_wrk(output):
    """The summary printed by bench/wrk_report.lua, as a dict; ValueError when absent."""
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise ValueError("wrk printed no BENCH_JSON line:\n" + output[-2000:])


def evaluate(rows):
    """Add rps, ratio to the trivial view, and the targets missed, to each measured row.

    A row: name, path, html (bool), requests, duration_s, non2xx, socket_errors, p50_ms,
    p99_ms, queries (SQL queries per request, or None). The baseline row is named "trivial".
    """
    for row in rows:
        row["rps"] = row["requests"] / row["duration_s"] if row["duration_s"] else 0.0
        row["errors"] = row["non2xx"] + row["socket_errors"]
    baseline = next((r["rps"] for r in rows if r["name"] == "trivial"), 0.0)
    for row in rows:
        row["ratio"] = row["rps"] / baseline if baseline else None
        misses = []
        if row["html"] and (row["ratio"] is None or row["ratio"] < TARGET_RATIO):
            misses.append(f"ratio < {TARGET_RATIO}")
        if row["p99_ms"] >= TARGET_P99_MS:
            misses.append(f"p99 ≥ {TARGET_P99_MS:.0f} ms")
        if row["errors"] > TARGET_ERRORS:
            misses.append("errors")
        row["misses"] = misses
    return rows


def format_table(rows):
    header = (
        f"{'page':<12} {'path':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'SQL/req':>7} {'ratio':>6}  targets"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        path = row["path"] if len(row["path"]) <= 42 else row["path"][:39] + "..."
        queries = "?" if row.get("queries") is None else str(row["queries"])
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        verdict = "ok" if not row["misses"] else "MISS: " + ", ".join(row["misses"])
        lines.append(
            f"{row['name']:<12} {path:<42} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['errors']:>7} {queries:>7} {ratio:>6}  {verdict}"
        )
    missed = [row["name"] for row in rows if row["misses"]]
    lines.append("")
    lines.append(
        f"Targets: HTML pages ≥ {TARGET_RATIO}× trivial, p99 < {TARGET_P99_MS:.0f} ms, "
        f"{TARGET_ERRORS} errors. "
        + ("All met." if not missed else f"MISSED on: {', '.join(missed)}.")
    )
    return "\n".join(lines)
