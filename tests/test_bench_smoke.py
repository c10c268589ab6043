"""`make bench` keeps working: every benchmark runs at toy sizes and reports its figures.

No timing is asserted here (speed is judged by `make bench` as ratios); only that each
measurement runs and yields positive numbers under the names the targets read.
"""

from __future__ import annotations

from benchmarks import run


def test_every_benchmark_runs_and_reports_its_metrics():
    results = {}
    results.update(run.bench_reset())
    results.update(run.bench_get_inprocess(30))
    results.update(run.bench_get_loopback(40))
    results.update(run.bench_filter(300))
    results.update(run.bench_memory(300, 30))
    results.update(run.bench_sdk_intercept(5))
    results.update(run.bench_provision_loopback(5))
    results.update(run.bench_get_serve_vs_trivial(16))
    results.update(run.bench_waitress_vs_werkzeug(16))
    results.update(run.bench_stytch_provision_growth(120))
    results.update(run.bench_session_server(1))
    results.update(run.bench_xdist(2))
    for key, _text, _check in run.TARGETS:
        assert results[key] > 0, (key, results)
