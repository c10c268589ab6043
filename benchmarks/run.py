"""``make bench``: mockscim's costs as ratios against baselines measured in the same run.

Absolute numbers depend on the machine; ratios against a trivial Flask endpoint served the
same way (and the same filter over a small directory) do not, which is what the targets use.
Prints a table and writes ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from flask import Flask, jsonify
from werkzeug.serving import make_server

from mockscim.app import create_app
from mockscim.control.client import Control
from mockscim.http.context import mock_of
from mockscim.scim.generic import add_generic_directory, mount_generic
from mockscim.scim.policy import GENERIC
from mockscim.serving.wsgi import WSGIServer

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log lines in the table

TOKEN = "bench-token"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
RESULTS = Path(__file__).with_name("results.json")


def user_body(i: int) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": f"user{i:06d}@example.com",
        "externalId": f"00u{i:010d}",
        "name": {"givenName": f"Given{i}", "familyName": f"Family{i}"},
        "displayName": f"Given{i} Family{i}",
        "emails": [{"value": f"user{i:06d}@example.com", "type": "work", "primary": True}],
        "active": True,
    }


def populate(directory: Any, users: int, groups: int = 0, members_per_group: int = 10) -> list[str]:
    ids = [directory.create("User", user_body(i), NOW, GENERIC)[0].id for i in range(users)]
    for g in range(groups):
        members = [
            {"value": ids[(g * members_per_group + k) % len(ids)]} for k in range(members_per_group)
        ]
        directory.create("Group", {"displayName": f"group-{g}", "members": members}, NOW, GENERIC)
    return ids


def mock_app(users: int) -> tuple[Flask, list[str]]:
    app = create_app()
    mount_generic(app)
    add_generic_directory(app, "bench", TOKEN)
    mock = mock_of(app)
    ids = populate(mock.store.directories["bench"], users)
    return app, ids


def trivial_app() -> Flask:
    app = Flask("trivial")

    @app.get("/ping")
    def ping():  # type: ignore[no-untyped-def]
        return jsonify({"status": "ok", "id": "2819c223-7f76-453a-919d-413861904646"})

    return app


def rate(fn: Callable[[], None], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def interleaved(
    k: int, base: Callable[[], float], ours: Callable[[], float]
) -> tuple[float, float]:
    """Best of ``k`` alternating rounds, so both sides see the same machine load."""
    best_base = best_ours = 0.0
    for _ in range(k):
        best_base = max(best_base, base())
        best_ours = max(best_ours, ours())
    return best_base, best_ours


def bench_reset() -> dict[str, Any]:
    """A typical test leaves a few dozen records behind; dropping them is part of the cost."""
    app = create_app()
    mock = mock_of(app)
    out: dict[str, Any] = {}
    for label, users in (("reset", 50), ("reset_2000_users", 2000)):
        samples = []
        for _ in range(20 if users > 100 else 300):
            populate(mock.store.new_directory("refill", "generic"), users)
            start = time.perf_counter()
            mock.reset()
            samples.append((time.perf_counter() - start) * 1e6)
        out[f"{label}_median_us"] = round(statistics.median(samples), 2)
    return out


def bench_get_inprocess(n: int) -> dict[str, Any]:
    app, ids = mock_app(1000)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    path = f"/scim/v2/bench/Users/{ids[500]}"
    assert client.get(path, headers=headers).status_code == 200
    trivial = trivial_app().test_client()
    base, ours = interleaved(
        5,
        lambda: rate(lambda: trivial.get("/ping", headers=headers), n),
        lambda: rate(lambda: client.get(path, headers=headers), n),
    )
    return {
        "inprocess_trivial_rps": round(base),
        "inprocess_get_rps": round(ours),
        "inprocess_ratio": round(ours / base, 3),
    }


def _loopback_rps(url: str, headers: dict[str, str], n: int, threads: int = 4) -> float:
    per = n // threads

    def work() -> None:
        session = requests.Session()
        for _ in range(per):
            r = session.get(url, headers=headers)
            assert r.status_code == 200

    workers = [threading.Thread(target=work) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return per * threads / (time.perf_counter() - start)


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """Any WSGI app on werkzeug's threaded server (the baselines; `--server werkzeug`)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def bench_get_loopback(n: int) -> dict[str, Any]:
    app, ids = mock_app(1000)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with served(app) as ours, served(trivial_app()) as base:
        ours_url = f"{ours}/scim/v2/bench/Users/{ids[500]}"
        base_url = f"{base}/ping"
        base, ours = interleaved(
            3,
            lambda: _loopback_rps(base_url, headers, n),
            lambda: _loopback_rps(ours_url, headers, n),
        )
    return {
        "loopback_trivial_rps": round(base),
        "loopback_get_rps": round(ours),
        "loopback_ratio": round(ours / base, 3),
    }


def bench_filter(big: int) -> dict[str, Any]:
    def latency(users: int) -> float:
        app, _ = mock_app(users)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {TOKEN}"}
        target = f"user{users // 2:06d}@example.com"
        query = {"filter": f'userName eq "{target}"'}
        assert (
            client.get("/scim/v2/bench/Users", query_string=query, headers=headers).get_json()[
                "totalResults"
            ]
            == 1
        )
        samples = []
        for _ in range(300):
            start = time.perf_counter()
            client.get("/scim/v2/bench/Users", query_string=query, headers=headers)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000

    small = latency(100)
    large = latency(big)
    return {
        "filter_eq_small_ms": round(small, 4),
        f"filter_eq_{big}_ms": round(large, 4),
        "filter_ratio": round(large / small, 3),
    }


# VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child forked from this (large) process
# would report the parent's size as its own.
MEMORY_CHILD = """
import gc, sys
from benchmarks.run import populate
from mockscim.scim.directory import ScimDirectory

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])

gc.collect()
base = status("VmRSS")
d = ScimDirectory("mem", "generic")
populate(d, int(sys.argv[1]), int(sys.argv[2]))
gc.collect()
print(base, status("VmHWM"))
"""


def bench_memory(users: int, groups: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(users), str(groups)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    base_kb, peak_kb = (int(x) for x in out.stdout.split())
    return {
        "memory_process_peak_mb": round(peak_kb / 1024, 1),
        "memory_store_mb": round((peak_kb - base_kb) / 1024, 1),
        "memory_users": users,
        "memory_groups": groups,
    }


# ---------------------------------------------------------------------------- serve & SDKs
@contextmanager
def served_production(app: Any) -> Iterator[str]:
    """An app on the server ``mockscim serve`` and ``MockServer`` use (waitress, threads)."""
    server = WSGIServer(app, "127.0.0.1", 0).start()
    try:
        yield server.url
    finally:
        server.stop()


def scim2_server_app() -> Any:
    """scim2-server (the generic python-scim server) as its test server builds it."""
    from scim2_models import ScimProvider
    from scim2_server.memory import InMemoryStorage
    from scim2_server.testserver.application import BearerTokenApplication
    from scim2_server.utils import (
        load_default_resource_types,
        load_default_schemas,
        load_default_service_provider_config,
    )

    provider = ScimProvider.from_discovery(
        load_default_schemas().values(),
        load_default_resource_types().values(),
        config=load_default_service_provider_config(),
    )
    return BearerTokenApplication(InMemoryStorage(), provider)


def _provision_rate(url: str, headers: dict[str, str], start: int, n: int) -> float:
    session = requests.Session()
    began = time.perf_counter()
    for i in range(start, start + n):
        r = session.post(url, json=user_body(i), headers=headers)
        assert r.status_code == 201, r.text
    return n / (time.perf_counter() - began)


def bench_provision_loopback(n: int) -> dict[str, Any]:
    """Sequential SCIM POST /Users over loopback: mockscim on its server vs scim2-server on
    werkzeug's threaded server."""
    app, _ = mock_app(0)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"}
    offset = [0]

    def next_start() -> int:
        offset[0] += n
        return offset[0]

    with served_production(app) as ours, served(scim2_server_app()) as base:
        base_rate, ours_rate = interleaved(
            3,
            lambda: _provision_rate(f"{base}/Users", headers, next_start(), n),
            lambda: _provision_rate(f"{ours}/scim/v2/bench/Users", headers, next_start(), n),
        )
    return {
        "provision_scim2_server_per_s": round(base_rate),
        "provision_mockscim_per_s": round(ours_rate),
        "provision_vs_scim2_server_ratio": round(ours_rate / base_rate, 3),
    }


def bench_get_serve_vs_trivial(n: int) -> dict[str, Any]:
    """GET /Users/{id} on mockscim's server vs a trivial Flask endpoint on werkzeug's threaded
    server, one sequential client each; then 8 concurrent clients vs 1 on mockscim."""
    app, ids = mock_app(1000)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with served_production(app) as ours, served(trivial_app()) as base:
        ours_url = f"{ours}/scim/v2/bench/Users/{ids[500]}"
        base_rate, ours_rate = interleaved(
            3,
            lambda: _loopback_rps(f"{base}/ping", headers, n, threads=1),
            lambda: _loopback_rps(ours_url, headers, n, threads=1),
        )
        one, eight = interleaved(
            3,
            lambda: _loopback_rps(ours_url, headers, n, threads=1),
            lambda: _loopback_rps(ours_url, headers, n, threads=8),
        )
    return {
        "serve_trivial_werkzeug_rps": round(base_rate),
        "serve_get_rps": round(ours_rate),
        "serve_get_vs_trivial_werkzeug_ratio": round(ours_rate / base_rate, 3),
        "serve_1_client_rps": round(one),
        "serve_8_clients_rps": round(eight),
        "concurrency_8_vs_1_ratio": round(eight / one, 3),
    }


def bench_waitress_vs_werkzeug(n: int) -> dict[str, Any]:
    """The same mock app behind ``serve``'s two servers (``--server werkzeug``): GET /Users/{id},
    one sequential client, then 8 concurrent ones (the README's advice on which to run)."""
    app, ids = mock_app(1000)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    path = f"/scim/v2/bench/Users/{ids[500]}"
    out: dict[str, Any] = {}
    for threads in (1, 8):
        waitress = WSGIServer(app, "127.0.0.1", 0, server="waitress").start()
        werkzeug = WSGIServer(app, "127.0.0.1", 0, server="werkzeug").start()
        try:
            base, ours = interleaved(
                3,
                lambda u=werkzeug.url + path, t=threads: _loopback_rps(u, headers, n, threads=t),
                lambda u=waitress.url + path, t=threads: _loopback_rps(u, headers, n, threads=t),
            )
        finally:
            waitress.stop()
            werkzeug.stop()
        out[f"serve_{threads}_client_werkzeug_rps"] = round(base)
        out[f"serve_{threads}_client_waitress_rps"] = round(ours)
        out[f"waitress_vs_werkzeug_{threads}_client_ratio"] = round(ours / base, 3)
    return out


def bench_sdk_intercept(n: int) -> dict[str, Any]:
    """The official SDK's ``scim.connection.get``: socket-free (mockscim.intercept) vs over
    loopback to the served mock."""
    import warnings

    import mockscim
    from mockscim import MockServer

    warnings.filterwarnings("ignore", message="Test version of Stytch")
    with MockServer() as srv:
        loop_client = srv.stytch_client()
        org = srv.stytch.create_org("Acme", users=5)
        with mockscim.intercept() as mock:
            free_client = mock.stytch_client()
            free_org = mock.stytch.create_org("Acme", users=5)

            def call(client: Any, org_id: str) -> Callable[[], None]:
                return lambda: client.scim.connection.get(organization_id=org_id)

            base, ours = interleaved(
                3,
                lambda: rate(call(loop_client, org["organization_id"]), n),
                lambda: rate(call(free_client, free_org["organization_id"]), n),
            )
    return {
        "sdk_loopback_calls_per_s": round(base),
        "sdk_intercept_calls_per_s": round(ours),
        "sdk_intercept_vs_loopback_ratio": round(ours / base, 3),
    }


def bench_stytch_provision_growth(members: int) -> dict[str, Any]:
    """Stytch SCIM POST /Users (in-process) with ``members`` members vs none: the member
    lookups every write makes must not grow with the directory."""
    app = create_app()
    org = Control(app).stytch.create_org("Acme", domains=["example.com"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {org['bearer_token']}"}
    path = org["scim_base_path"] + "/Users"
    counter = [0]

    def post_many(k: int) -> float:
        began = time.perf_counter()
        for _ in range(k):
            counter[0] += 1
            r = client.post(path, json=user_body(counter[0]), headers=headers)
            assert r.status_code == 201, r.get_data(as_text=True)
        return (time.perf_counter() - began) / k * 1000

    k = 50
    post_many(10)  # warm-up
    empty = min(post_many(k) for _ in range(3))
    while counter[0] < members:
        post_many(min(500, members - counter[0]))
    full = min(post_many(k) for _ in range(3))
    return {
        "stytch_post_user_ms_empty": round(empty, 3),
        f"stytch_post_user_ms_{members}_members": round(full, 3),
        "stytch_post_growth_ratio": round(full / empty, 3),
    }


def bench_session_server(rounds: int) -> dict[str, Any]:
    """What each pytest(-xdist) worker pays once: starting and stopping the session server,
    on waitress (what the plugin uses) against werkzeug's server (what it used before)."""
    from mockscim import MockServer

    def cycle(kind: str) -> float:
        start = time.perf_counter()
        with MockServer(server=kind):
            pass
        return time.perf_counter() - start

    waitress_s, werkzeug_s = [], []
    for _ in range(rounds):
        waitress_s.append(cycle("waitress"))
        werkzeug_s.append(cycle("werkzeug"))
    waitress_ms = statistics.median(waitress_s) * 1000
    werkzeug_ms = statistics.median(werkzeug_s) * 1000
    return {
        "session_server_start_stop_ms": round(waitress_ms, 1),
        "session_server_start_stop_ms_werkzeug": round(werkzeug_ms, 1),
        "session_server_vs_werkzeug_ratio": round(waitress_ms / werkzeug_ms, 3),
    }


XDIST_TEST = """
import requests

def test_{i}(mockscim):
    assert requests.get(mockscim.url + "/_mockscim/health", timeout=10).json() == {{"status": "ok"}}
"""


def bench_xdist(tests: int) -> dict[str, Any]:
    """A small suite of ``mockscim`` fixture tests, serial and with ``pytest -n 2``, and the
    same number of plain tests under ``-n 2``: what the mock adds to each worker (its plugin
    import and session server) is the difference between the two parallel runs."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(tests):
            (folder / f"test_{i}.py").write_text(XDIST_TEST.format(i=i))
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSCIM_")}

        def run(*extra: str) -> float:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
                cwd=folder,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
            return time.perf_counter() - start

        serial = run()
        parallel = run("-n", "2")
        # The baseline: the same number of tests with no mock, under -n 2 too (what pytest
        # and xdist cost by themselves: starting workers, loading every installed plugin).
        for i in range(tests):
            (folder / f"test_{i}.py").write_text(f"def test_{i}():\n    assert True\n")
        plain = run("-n", "2")
    return {
        "xdist_serial_s": round(serial, 2),
        "xdist_n2_s": round(parallel, 2),
        "xdist_n2_vs_serial_ratio": round(parallel / serial, 3),
        "xdist_n2_plain_s": round(plain, 2),
        "xdist_n2_vs_plain_ratio": round(parallel / plain, 3),
    }


TARGETS = [
    ("reset_median_us", "< 1000 us", lambda v: v < 1000),
    ("inprocess_ratio", ">= 0.6x trivial", lambda v: v >= 0.6),
    ("loopback_ratio", ">= 0.6x trivial", lambda v: v >= 0.6),
    ("filter_ratio", "<= 2x small", lambda v: v <= 2),
    ("memory_process_peak_mb", "< 300 MB", lambda v: v < 300),
    ("sdk_intercept_vs_loopback_ratio", ">= 5x over loopback", lambda v: v >= 5),
    ("provision_vs_scim2_server_ratio", ">= 2x scim2-server", lambda v: v >= 2),
    ("serve_get_vs_trivial_werkzeug_ratio", ">= 2x trivial on werkzeug", lambda v: v >= 2),
    ("concurrency_8_vs_1_ratio", ">= 1x (not lower)", lambda v: v >= 1),
    ("waitress_vs_werkzeug_1_client_ratio", "reported (which server to run)", lambda v: True),
    ("waitress_vs_werkzeug_8_client_ratio", "reported (which server to run)", lambda v: True),
    ("stytch_post_growth_ratio", "<= 1.5x at 7,000 members", lambda v: v <= 1.5),
    ("session_server_vs_werkzeug_ratio", "< 1x (a worker's server costs less)", lambda v: v < 1),
    ("xdist_n2_vs_plain_ratio", "<= 1.5x the same tests without a mock", lambda v: v <= 1.5),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    n = 500 if args.quick else 3000
    big = 10_000 if args.quick else 100_000
    results: dict[str, Any] = {}
    for name, fn in (
        ("reset", bench_reset),
        ("get in-process", lambda: bench_get_inprocess(n)),
        ("get loopback", lambda: bench_get_loopback(n)),
        ("filter", lambda: bench_filter(big)),
        ("memory", lambda: bench_memory(big, big // 10)),
        ("sdk socket-free vs loopback", lambda: bench_sdk_intercept(n // 5)),
        ("provisioning vs scim2-server", lambda: bench_provision_loopback(n // 6)),
        ("serve GET vs trivial werkzeug", lambda: bench_get_serve_vs_trivial(n // 3)),
        ("waitress vs werkzeug", lambda: bench_waitress_vs_werkzeug(n // 3)),
        ("stytch POST growth", lambda: bench_stytch_provision_growth(1000 if args.quick else 7000)),
        ("session server start+stop", lambda: bench_session_server(3 if args.quick else 7)),
        ("pytest -n 2 vs serial", lambda: bench_xdist(20)),
    ):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.update(fn())
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    width = max(len(k) for k in results)
    print(f"{'metric'.ljust(width)}  value")
    for key, value in results.items():
        print(f"{key.ljust(width)}  {value}")
    print()
    print("targets:")
    failed = 0
    for key, text, check in TARGETS:
        ok = check(results[key])
        failed += not ok
        print(f"  {'ok  ' if ok else 'MISS'} {key} {text}: {results[key]}")
    print(f"\nwritten {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
