"""Targets, evaluation, the printed table and the comparison of ``make bench`` (no Django, no
network).

Each measured row belongs to a *group* (a pass of the benchmark); each group has its targets,
those of DESIGN.md (Performance), never lowered. A row: group, name, path, html (bool),
connections, requests, duration_s, non2xx, socket_errors, p50_ms, p99_ms, queries (SQL queries
per request, or None), first_request_ms, and optionally user (who is signed in) and server
(which server it ran on: its ratio is taken to the trivial row of the same server).
"""

import json

# group → what it measures, and its targets (absent key = no such target for the group).
TARGETS = {
    "trivial": {"label": "trivial view (the limit: no database, no template)"},
    "uncached": {
        "label": "public pages, uncached, 20 connections",
        "ratio": 0.1,
        "p99_ms": 250.0,
    },
    "member": {
        "label": "member pages, signed in as the representative, 20 connections",
        "ratio": 0.1,
        "p99_ms": 250.0,
    },
    "writes": {
        "label": "public pages, cached, while one place changes per second, 20 connections",
        "ratio": 0.3,
        "p99_ms": 250.0,
    },
    "admin": {
        "label": "admin pages, signed in as a coordinator, 4 connections",
        "p99_ms": 250.0,
        "first_request_ms": 300.0,
    },
    "export": {
        "label": "CSV of every place, uncached, 1 connection (target set for 10,000 places)",
        "first_request_ms": 1000.0,
        "p99_ms": 1000.0,
    },
    "cached": {
        "label": "public pages, cached, 20 connections (the cache is a bonus, never the proof)",
        "ratio": 0.5,
        "p99_ms": 250.0,
    },
}
TARGET_ERRORS = 0  # every page: non-2xx responses and socket errors
MIN_SAMPLES = 20  # fewer completed requests than this: p99 is a lower bound
SCALING_MAX = 2.0  # 10,000 → 100,000 places: no page's uncached time grows more than this
SCALING_GROUPS = ("uncached", "member", "admin", "export")


def parse_wrk(output):
    """The summary printed by bench/wrk_report.lua, as a dict; ValueError when absent."""
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise ValueError("wrk printed no BENCH_JSON line:\n" + output[-2000:])


def describe(group):
    """The targets of ``group`` in words."""
    target = TARGETS[group]
    parts = []
    if "ratio" in target:
        parts.append(f"≥ {target['ratio']}× trivial")
    if "p99_ms" in target:
        parts.append(f"p99 < {target['p99_ms']:.0f} ms")
    if "first_request_ms" in target:
        parts.append(f"first request < {target['first_request_ms']:.0f} ms")
    parts.append(f"{TARGET_ERRORS} errors")
    return ", ".join(parts)


def evaluate(rows):
    """Add rps, errors, ratio to the trivial view, and the targets missed (with the figure and
    by how much), to each measured row."""
    for row in rows:
        row["rps"] = row["requests"] / row["duration_s"] if row["duration_s"] else 0.0
        row["errors"] = row["non2xx"] + row["socket_errors"]
    baselines = {r.get("server"): r["rps"] for r in rows if r["group"] == "trivial"}
    for row in rows:
        baseline = baselines.get(row.get("server"))
        row["ratio"] = row["rps"] / baseline if baseline else None
        target = TARGETS[row["group"]]
        misses = []
        if row["requests"] == 0:
            misses.append(f"no request completed in {row['duration_s']:.0f} s")
        if "ratio" in target:
            wanted = target["ratio"]
            if row["ratio"] is None:
                misses.append("ratio unknown (no trivial row)")
            elif row["ratio"] < wanted:
                short = wanted / row["ratio"] if row["ratio"] else float("inf")
                misses.append(f"ratio {row['ratio']:.2f} < {wanted} ({short:.1f}× short)")
        if "p99_ms" in target and row["requests"] and row["p99_ms"] >= target["p99_ms"]:
            misses.append(
                f"p99 {row['p99_ms']:.0f} ≥ {target['p99_ms']:.0f} ms "
                f"(+{row['p99_ms'] - target['p99_ms']:.0f})"
            )
        first = row.get("first_request_ms")
        if "first_request_ms" in target and first is not None:
            if first >= target["first_request_ms"]:
                misses.append(
                    f"first {first:.0f} ≥ {target['first_request_ms']:.0f} ms "
                    f"(+{first - target['first_request_ms']:.0f})"
                )
        if row.get("invalid"):
            misses.append(row["invalid"])
        if row["errors"] > TARGET_ERRORS:
            misses.append(f"{row['errors']} errors")
        row["misses"] = misses
        row["few_samples"] = 0 < row["requests"] < MIN_SAMPLES
    return rows


def _cell(value, spec, missing="?"):
    return missing if value is None else format(value, spec)


def format_table(rows):
    header = (
        f"{'page':<18} {'as':<12} {'path':<40} {'conn':>4} {'req/s':>7} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'err':>4} {'SQL':>4} {'ratio':>5} {'first ms':>8}  targets"
    )
    lines = [header, "=" * len(header)]
    group = None
    for row in rows:
        if row["group"] != group:
            group = row["group"]
            lines.append(f"-- {TARGETS[group]['label']} -- targets: {describe(group)}")
        path = row["path"] if len(row["path"]) <= 40 else row["path"][:37] + "..."
        verdict = "ok" if not row["misses"] else "MISS: " + "; ".join(row["misses"])
        if row.get("few_samples"):
            verdict += f" (only {row['requests']} requests: p99 is a lower bound)"
        p99 = _cell(row["p99_ms"], ">8.1f") if row["requests"] else f"{'-':>8}"
        lines.append(
            f"{row['name']:<18} {row.get('user') or 'anonymous':<12} {path:<40} "
            f"{row.get('connections', ''):>4} {row['rps']:>7.1f} {row['p50_ms']:>8.1f} "
            f"{p99} {row['errors']:>4} {_cell(row.get('queries'), '>4')} "
            f"{_cell(row['ratio'], '>5.2f', '-'):>5} "
            f"{_cell(row.get('first_request_ms'), '>8.0f', '-'):>8}  {verdict}"
        )
    lines.append("")
    lines.extend(summary(rows))
    return "\n".join(lines)


def summary(rows):
    """One line per target group: met, or on how many pages it is missed and the worst miss."""
    lines = ["Targets (DESIGN.md, Performance):"]
    for group in TARGETS:
        mine = [r for r in rows if r["group"] == group]
        if not mine or group == "trivial":
            continue
        missed = [r for r in mine if r["misses"]]
        if not missed:
            verdict = f"met on all {len(mine)} pages"
        else:
            names = ", ".join(f"{r['name']}" + (f" ({r['user']})" if r.get("user") else "")
                              for r in missed)  # fmt: skip
            verdict = f"MISSED on {len(missed)}/{len(mine)} pages: {names}"
        lines.append(f"  {TARGETS[group]['label']}: {describe(group)} — {verdict}")
    missed = [r for r in rows if r["misses"]]
    lines.append("All met." if not missed else f"{len(missed)} of {len(rows)} rows miss a target.")
    return lines


def _key(row):
    return (row["group"], row["name"], row.get("user") or "")


def compare(small, large):
    """Rows comparing two results (e.g. 10,000 then 100,000 places): for each page measured in
    both, its uncached time (p50 under the same load) must not grow more than SCALING_MAX×,
    and its SQL queries per request must not change (no N+1)."""
    before = {_key(r): r for r in small["pages"]}
    out = []
    for row in large["pages"]:
        old = before.get(_key(row))
        if old is None or row["group"] not in SCALING_GROUPS:
            continue
        # No p50 on either side (no request completed in the run): not measured, so a miss.
        growth = row["p50_ms"] / old["p50_ms"] if old["p50_ms"] and row["p50_ms"] else None
        misses = []
        if growth is None or growth > SCALING_MAX:
            misses.append(f"p50 grew {growth:.1f}× > {SCALING_MAX}×" if growth else "no p50")
        if old.get("queries") != row.get("queries"):
            misses.append(f"SQL/req {old.get('queries')} → {row.get('queries')}")
        out.append({"key": _key(row), "old": old, "new": row, "growth": growth, "misses": misses})
    return out


def format_comparison(small, large, compared):
    header = (
        f"{'page':<18} {'as':<12} {'p50 ms':>17} {'growth':>7} {'first ms':>15} "
        f"{'SQL/req':>9}  target: p50 ≤ {SCALING_MAX}×, same SQL/req"
    )
    lines = [
        f"{small['places']} places ({small['database']}, {small['date']}) → "
        f"{large['places']} places ({large['database']}, {large['date']})",
        header,
        "=" * len(header),
    ]
    group = None
    for item in compared:
        old, new = item["old"], item["new"]
        if new["group"] != group:
            group = new["group"]
            lines.append(f"-- {TARGETS[group]['label']}")
        first = (
            f"{_cell(old.get('first_request_ms'), '>6.0f')} → "
            f"{_cell(new.get('first_request_ms'), '<6.0f')}"
        )
        growth = _cell(item["growth"], ".2f")
        verdict = "ok" if not item["misses"] else "MISS: " + "; ".join(item["misses"])
        lines.append(
            f"{new['name']:<18} {new.get('user') or 'anonymous':<12} "
            f"{old['p50_ms']:>7.1f} → {new['p50_ms']:>7.1f} {growth:>7} {first:>15} "
            f"{_cell(old.get('queries'), '>4d')} → {_cell(new.get('queries'), '<4d')}  {verdict}"
        )
    missed = [item for item in compared if item["misses"]]
    lines.append("")
    lines.append(
        "Scaling target met on every page."
        if not missed
        else f"Scaling target MISSED on {len(missed)}/{len(compared)} pages."
    )
    return "\n".join(lines)
