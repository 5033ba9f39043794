"""Time the collaboration map at national scale: its data, the matrix and the findings pages.

    python -m bench.bench_map [--scale 1] [--repeats 5] [--database-url URL]

A national map is generated and imported into an empty database (SQLite in a temporary folder
unless --database-url names an empty PostgreSQL database). A signed-in leadership client then
asks for each page once to fill the caches (timed as "cold") and again `--repeats` times
(median, "cached"). The goal is under 300 ms for the cached map data, matrix and findings.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate

GOAL_MS = 300
PAGES = [
    ("map data (whole map, JSON)", "/karta/data.json", True),
    ("map data filtered to one area", "/karta/data.json?area=rehab", True),
    ("map data, one region with people", "/karta/data.json?organisation=vbn&people=1", False),
    ("map page", "/karta", False),
    ("coverage matrix", "/analys/tackning", True),
    ("findings page", "/analys", True),
    ("map as text", "/karta/text", False),
    ("leadership report", "/analys/rapport", False),
    ("what-if: dissolve a forum", "/karta/vad-om?action=dissolve&forum=vbn-lsg", False),
]


def _client(url: str):
    """An app on an empty database with a national map, and a leadership client signed in."""
    from config import TestConfig
    from portal import create_app
    from portal.auth.services import create_user
    from portal.exchange.services import import_text
    from portal.extensions import db

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    context = app.app_context()
    context.push()
    db.drop_all()
    db.create_all()
    return app, context, import_text, create_user


def measure(scale: float, repeats: int, url: str | None) -> list[tuple[str, float, float, int]]:
    """Return (name, cold ms, cached median ms, bytes) per page."""
    with tempfile.TemporaryDirectory() as folder:
        database = url or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app, context, import_text, create_user = _client(database)
        try:
            import_text(json.dumps(generate(scale)), None, source="bench")
            create_user(None, "bench@example.org", "ledning-mäter-kartan-9", "leadership", None)
            client = app.test_client()
            login = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf-token" content="([^"]+)"', login).group(1)
            client.post("/login", data={"email": "bench@example.org",
                                        "password": "ledning-mäter-kartan-9", "csrf_token": token})
            rows = []
            for name, path, _goal in PAGES:
                start = time.perf_counter()
                response = client.get(path)
                cold = time.perf_counter() - start
                assert response.status_code == 200, (path, response.status_code)
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    response = client.get(path)
                    times.append(time.perf_counter() - start)
                rows.append((name, cold * 1000, statistics.median(times) * 1000,
                             len(response.data)))
            return rows
        finally:
            from portal.extensions import db

            db.session.remove()
            db.engine.dispose()
            context.pop()


def main(argv=None) -> int:
    """Run the benchmark and print a table; exit 1 when a page misses its goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY PostgreSQL database to use instead of SQLite")
    args = parser.parse_args(argv)
    print(f"scale {args.scale:g} …", file=sys.stderr)
    rows = measure(args.scale, args.repeats, args.database_url)
    goals = {name: goal for name, _path, goal in PAGES}
    print(f"{'ms':<36}{'cold':>10}{'cached':>10}{'size':>12}  goal")
    missed = []
    for name, cold, cached, size in rows:
        verdict = ""
        if goals[name]:
            verdict = "ok" if cached < GOAL_MS else f"MISSED (< {GOAL_MS} ms)"
            if cached >= GOAL_MS:
                missed.append(name)
        print(f"{name:<36}{cold:>10.0f}{cached:>10.0f}{size / 1024:>10.0f}kB  {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
