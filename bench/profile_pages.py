"""Per page, in process: SQL statements, CPU time and Python calls of one request.

    python -m bench.profile_pages [--map demo|national] [--repeat 30] [--profile PAGE]
                                  [--json FILE] [--database-url URL]

The pages of `bench.bench_pages` (those a signed-in leader reaches from the menu) are asked
for through Flask's test client, signed in as leadership, after two warm-up requests each (as
a day of use fills each worker's caches). Wall time on a shared machine is noise; the CPU
time this process spent (`time.process_time`) and the counts are not, so these figures show
where a page's cost is and whether a change removed it. `--profile PAGE` prints cProfile's
top functions of that page (cumulative time) over the repeated requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event


@contextmanager
def counting(engine):
    """Count the statements sent to the database inside the block."""
    count = [0]

    def tally(*_args, **_kwargs) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", tally)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", tally)


def _sign_in(client, email: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": email, "password": password,
                                         "csrf_token": token})
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in failed: {answer.status_code}")


def _calls(client, path: str) -> int:
    """Python function calls of one request (cProfile's count)."""
    profile = cProfile.Profile()
    profile.enable()
    client.get(path)
    profile.disable()
    return pstats.Stats(profile).total_calls


def _cpu_ms(client, path: str, repeat: int, batches: int = 5) -> float:
    """CPU milliseconds per request: the best batch's mean (other work on the machine only
    ever adds to it)."""
    best = float("inf")
    for _ in range(batches):
        start = time.process_time()
        for _ in range(repeat):
            client.get(path)
        best = min(best, (time.process_time() - start) * 1000 / repeat)
    return best


def ceiling_cpu_ms(repeat: int) -> float:
    """CPU milliseconds per request of bench_pages' bare Flask 50-row page, the same way."""
    from bench.bench_pages import CEILING_APP

    namespace: dict = {"__name__": "ceiling", "__file__": __file__}
    exec(compile(CEILING_APP, "ceiling.py", "exec"), namespace)  # noqa: S102 - our own text
    client = namespace["app"].test_client()
    for _ in range(5):
        client.get("/")
    return _cpu_ms(client, "/", repeat * 2)


def measure(app, urls: dict[str, str], email: str, password: str, repeat: int,
            profile_page: str | None = None) -> dict[str, dict]:
    """Statements, CPU milliseconds and calls per request for each page."""
    from portal.extensions import db

    results: dict[str, dict] = {}
    client = app.test_client()
    _sign_in(client, email, password)
    with app.app_context():
        engine = db.engine
    for name, path in urls.items():
        for _ in range(2):
            status = client.get(path).status_code
        if status != 200:
            results[name] = {"path": path, "status": status}
            continue
        with counting(engine) as count:
            client.get(path)
        calls = _calls(client, path)
        profile = cProfile.Profile() if name == profile_page else None
        if profile:
            profile.enable()
        cpu_ms = _cpu_ms(client, path, repeat)
        if profile:
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
            print(out.getvalue(), file=sys.stderr)
        size = len(client.get(path).get_data())
        results[name] = {"path": path, "queries": count[0], "cpu_ms": round(cpu_ms, 2),
                         "calls": calls, "bytes": size}
    return results


def main() -> None:
    """Prepare the map, measure each page, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", choices=("demo", "national"), default="demo")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", metavar="PAGE", help="print cProfile's top functions")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default SQLite)")
    args = parser.parse_args()

    from bench.bench_pages import prepare_demo, prepare_national
    from bench.load import EMAIL, PASSWORD
    from portal import create_app
    from portal.demo.loader import DEMO_PASSWORD

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database_url or f"sqlite:///{Path(tmp) / 'profile.sqlite'}"
        urls = (prepare_demo if args.map == "demo" else prepare_national)(database)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database})
        password = DEMO_PASSWORD if args.map == "demo" else PASSWORD
        results = measure(app, urls, EMAIL, password, args.repeat, args.profile)
        with app.app_context():
            from portal.extensions import db

            db.session.remove()
            db.engine.dispose()
    top = ceiling_cpu_ms(args.repeat)
    print(f"\nPages in process ({args.map} map, signed in as leadership, best mean of "
          f"5 × {args.repeat} requests; the bare Flask 50-row page: {top:.2f} CPU ms)")
    print(f"{'page':<18} {'SQL':>5} {'CPU ms':>8} {'calls':>8} {'kB':>6} {'ceiling/page':>13}")
    for name, row in results.items():
        if "status" in row:
            print(f"{name:<18} HTTP {row['status']} ({row['path']})")
            continue
        print(f"{name:<18} {row['queries']:>5} {row['cpu_ms']:>8.1f} {row['calls']:>8} "
              f"{row['bytes'] / 1024:>6.0f} {top / row['cpu_ms']:>13.0%}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"map": args.map, "ceiling_cpu_ms": top, "pages": results}, indent=1),
            encoding="utf-8")


if __name__ == "__main__":
    main()
