"""bench/report.py: parsing wrk's summary, judging targets, printing the table."""

import pytest

from bench import report


def row(name, rps, p99=20.0, non2xx=0, html=True, queries=3):
    return {
        "name": name,
        "path": f"/{name}/",
        "html": html,
        "requests": int(rps * 10),
        "duration_s": 10.0,
        "non2xx": non2xx,
        "socket_errors": 0,
        "p50_ms": 5.0,
        "p99_ms": p99,
        "queries": queries,
    }


def test_parse_wrk_reads_the_lua_summary():
    output = 'Running 10s test\nBENCH_JSON {"requests": 100, "duration_s": 10.0, "non2xx": 2}\n'
    assert report.parse_wrk(output) == {"requests": 100, "duration_s": 10.0, "non2xx": 2}
    with pytest.raises(ValueError):
        report.parse_wrk("Running 10s test\n")


def test_targets_are_judged_per_page():
    rows = report.evaluate(
        [
            row("trivial", 1000, html=False, queries=0),
            row("directory", 600),
            row("slow", 400),
            row("laggy", 900, p99=250.0),
            row("broken", 900, non2xx=3),
            row("export", 100, html=False),  # not HTML: no throughput target
        ]
    )
    verdicts = {r["name"]: r["misses"] for r in rows}
    assert verdicts["trivial"] == [] and verdicts["directory"] == [] and verdicts["export"] == []
    assert verdicts["slow"] == ["ratio < 0.5"]
    assert verdicts["laggy"] == ["p99 ≥ 250 ms"]
    assert verdicts["broken"] == ["errors"]
    assert rows[1]["ratio"] == pytest.approx(0.6)


def test_table_marks_misses_and_summarises():
    table = report.format_table(
        report.evaluate([row("trivial", 1000, html=False), row("slow", 100)])
    )
    assert "MISS: ratio < 0.5" in table
    assert "MISSED on: slow." in table
    table = report.format_table(report.evaluate([row("trivial", 1000, html=False), row("ok", 900)]))
    assert "All met." in table and "MISS" not in table
