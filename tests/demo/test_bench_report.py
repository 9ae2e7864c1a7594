"""bench/report.py: parsing wrk's summary, judging targets, printing the table, comparing runs."""

import pytest

from bench import report


def row(name, rps, p99=20.0, p50=5.0, non2xx=0, group="uncached", queries=3, first=50.0, **extra):
    return {
        "group": group,
        "name": name,
        "path": f"/{name}/",
        "html": group != "trivial",
        "connections": 20,
        "requests": int(rps * 10),
        "duration_s": 10.0,
        "non2xx": non2xx,
        "socket_errors": 0,
        "p50_ms": p50,
        "p99_ms": p99,
        "queries": queries,
        "first_request_ms": first,
        **extra,
    }


def test_parse_wrk_reads_the_lua_summary():
    output = 'Running 10s test\nBENCH_JSON {"requests": 100, "duration_s": 10.0, "non2xx": 2}\n'
    assert report.parse_wrk(output) == {"requests": 100, "duration_s": 10.0, "non2xx": 2}
    with pytest.raises(ValueError):
        report.parse_wrk("Running 10s test\n")


def test_targets_are_judged_per_page_and_per_group():
    rows = report.evaluate(
        [
            row("trivial", 1000, group="trivial", queries=0),
            row("directory", 150),
            row("slow", 50),
            row("laggy", 900, p99=250.0),
            row("broken", 900, non2xx=3),
            row("signed-in", 80, group="member"),
            row("busy", 250, group="writes"),
            row("admin", 1, group="admin", first=450.0),  # admin: no throughput target
            row("admin-ok", 1, group="admin", first=120.0),
            row("csv", 2, group="export", first=1000.0),
            row("cached", 400, group="cached"),
        ]
    )
    verdicts = {r["name"]: r["misses"] for r in rows}
    assert verdicts["trivial"] == [] and verdicts["directory"] == []
    assert verdicts["slow"] == ["ratio 0.05 < 0.1 (2.0× short)"]
    assert verdicts["laggy"] == ["p99 250 ≥ 250 ms (+0)"]
    assert verdicts["broken"] == ["3 errors"]
    assert verdicts["signed-in"] == ["ratio 0.08 < 0.1 (1.2× short)"]
    assert verdicts["busy"] == ["ratio 0.25 < 0.3 (1.2× short)"]
    assert verdicts["admin"] == ["first 450 ≥ 300 ms (+150)"]
    assert verdicts["admin-ok"] == []
    assert verdicts["csv"] == ["first 1000 ≥ 1000 ms (+0)"]
    assert verdicts["cached"] == ["ratio 0.40 < 0.5 (1.2× short)"]
    assert rows[1]["ratio"] == pytest.approx(0.15)


def test_ratio_is_taken_to_the_trivial_view_of_the_same_server():
    rows = report.evaluate(
        [
            row("trivial", 1000, group="trivial", server="uncached"),
            row("home", 150, server="uncached"),
            row("trivial", 2000, group="trivial", server="cached"),
            row("home", 800, group="cached", server="cached"),
        ]
    )
    assert [r["ratio"] for r in rows] == pytest.approx([1.0, 0.15, 1.0, 0.4])


def test_a_page_that_never_answers_or_a_pass_that_was_not_valid_misses():
    rows = report.evaluate(
        [
            row("trivial", 1000, group="trivial"),
            row("stuck", 0, group="admin", p99=0.0),
            row("home", 900, group="writes", invalid="the server did not see every change"),
        ]
    )
    assert rows[1]["misses"] == ["no request completed in 10 s"]
    assert rows[2]["misses"] == ["the server did not see every change"]


def test_table_marks_misses_and_summarises():
    table = report.format_table(
        report.evaluate([row("trivial", 1000, group="trivial"), row("slow", 50)])
    )
    assert "MISS: ratio 0.05 < 0.1 (2.0× short)" in table
    assert "targets: ≥ 0.1× trivial, p99 < 250 ms, 0 errors" in table
    assert "MISSED on 1/1 pages: slow" in table
    assert "1 of 2 rows miss a target." in table
    table = report.format_table(
        report.evaluate([row("trivial", 1000, group="trivial"), row("ok", 900)])
    )
    assert "All met." in table and "MISS" not in table


def test_comparison_flags_pages_that_grow_more_than_twice_or_change_their_queries():
    def result(places, pages):
        return {"places": places, "database": "sqlite", "date": "today", "pages": pages}

    small = result(
        10_000,
        [
            row("directory", 100, p50=10.0),
            row("place", 100, p50=10.0),
            row("admin places", 10, group="admin", user="national", p50=100.0),
            row("search", 100, p50=10.0),
            row("home", 1000, group="cached", p50=1.0),  # cached: not judged
        ],
    )
    large = result(
        100_000,
        [
            row("directory", 100, p50=19.0),
            row("place", 100, p50=30.0),
            row("admin places", 10, group="admin", user="national", p50=150.0, queries=4),
            row("search", 0, p50=0.0),  # no request completed: not a pass
            row("home", 1000, group="cached", p50=9.0),
        ],
    )
    compared = report.compare(small, large)
    verdicts = {item["new"]["name"]: item["misses"] for item in compared}
    assert verdicts == {
        "directory": [],
        "place": ["p50 grew 3.0× > 2.0×"],
        "admin places": ["SQL/req 3 → 4"],
        "search": ["no p50"],
    }
    text = report.format_comparison(small, large, compared)
    assert "Scaling target MISSED on 3/4 pages." in text
