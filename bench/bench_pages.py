"""Pages against a ceiling: each page's throughput as a share of a bare Flask app's.

    python -m bench.bench_pages [--map demo|national] [--seconds 10] [--database-url URL]

Both the portal and the ceiling app run under gunicorn with 2 sync workers on 127.0.0.1, and
wrk (Debian's `wrk`; 2 threads, 20 connections) loads one URL at a time, signed in as
leadership. The ceiling is a bare Flask app that renders a 50-row table from a template, so the
ratio says how much of a request's cost is the portal's own. Goals (issue 13): every page at
least 25 % of the ceiling on the demo and at least 10 % on the national map. The run prints a
table with requests per second, the ratio and whether the goal is met.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.load import HOST, free_port, sign_in, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"demo": 0.25, "national": 0.10}

CEILING_APP = '''
from flask import Flask, render_template_string

app = Flask(__name__)
ROWS = [{"key": f"forum-{i}", "name": f"Forum nummer {i}", "level": "regional", "members": i}
        for i in range(50)]
PAGE = """<!doctype html><html lang="sv"><head><title>Tak</title></head><body><main>
<h1>Tak</h1><table><thead><tr><th>Nyckel</th><th>Namn</th><th>Nivå</th><th>Medlemmar</th></tr>
</thead><tbody>{% for r in rows %}<tr><td>{{ r.key }}</td><td><a href="/f/{{ r.key }}">
{{ r.name }}</a></td><td>{{ r.level }}</td><td>{{ r.members }}</td></tr>{% endfor %}</tbody>
</table></main></body></html>"""


@app.get("/")
def index():
    return render_template_string(PAGE, rows=ROWS)
'''


def wrk(url: str, seconds: int, cookie: str | None = None) -> tuple[float, int]:
    """Requests per second and non-2xx/3xx answers that wrk measured for one URL."""
    command = ["wrk", "-t2", "-c20", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, int(bad.group(1)) if bad else 0


def prepare_demo(database: str) -> dict[str, str]:
    """The demo with its accounts (its leadership account signs in); the pages' URLs."""
    from sqlalchemy import select

    from portal import create_app
    from portal.demo.loader import load_demo
    from portal.extensions import db
    from portal.models import Commission

    app = create_app({"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo()
        commission = db.session.scalar(select(Commission.key).order_by(Commission.key.desc()))
        urls = _urls(app, commission, "lsg")
        db.session.remove()
        db.engine.dispose()
    return urls


def prepare_national(database: str) -> dict[str, str]:
    """A generated national map with a leadership account; the pages' URLs."""
    from sqlalchemy import func, select

    from bench.load import prepare
    from portal import create_app
    from portal.extensions import db
    from portal.models import Commission, Forum, ForumMembership

    prepare(database, 1.0)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        busiest = db.session.scalar(
            select(Forum.key).join(ForumMembership).group_by(Forum.key)
            .order_by(func.count().desc()).limit(1))
        commission = db.session.scalar(select(Commission.key).order_by(Commission.key))
        urls = _urls(app, commission, busiest)
        db.session.remove()
        db.engine.dispose()
    return urls


def _urls(app, commission: str, forum: str) -> dict[str, str]:
    """The pages a signed-in leader reaches from the menu, as far as this portal has them."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Document, Meeting

    meeting = db.session.scalar(select(Meeting.key).order_by(Meeting.meets_on.desc()).limit(1))
    document = db.session.scalar(select(Document.key).limit(1))
    wanted = {
        "start page": "/", "commissions": "/uppdrag", "one commission": f"/uppdrag/{commission}",
        "forums": "/forum", "one forum": f"/forum/{forum}", "decisions": "/beslut",
        "map page": "/karta", "map data": "/karta/data.json", "findings": "/analys",
        "coverage matrix": "/analys/tackning", "search": "/sok?q=v%C3%A5rd", "indicators":
        "/indikatorer", "documents": "/dokument",
    }
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    if meeting and "meetings.detail" in rules:
        with app.test_request_context():
            from flask import url_for

            wanted["one meeting"] = url_for("meetings.detail", key=meeting)
    if document and "documents.detail" in rules:
        with app.test_request_context():
            from flask import url_for

            wanted["one document"] = url_for("documents.detail", key=document)
    return wanted


def main() -> None:
    """Measure the ceiling and every page; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", choices=("demo", "national"), default="demo")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default SQLite)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        database = args.database_url or f"sqlite:///{tmp_path / 'pages.sqlite'}"
        prepare = prepare_demo if args.map == "demo" else prepare_national
        urls = prepare(database)
        (tmp_path / "ceiling.py").write_text(CEILING_APP, encoding="utf-8")
        ceiling_port = free_port()
        ceiling = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
             f"{HOST}:{ceiling_port}", "--chdir", tmp, "ceiling:app"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        server = start_server(database, port, 2, tmp_path / "error.log", tmp_path / "access.log")
        try:
            for _ in range(50):
                try:
                    httpx.get(f"http://{HOST}:{ceiling_port}/", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            base = f"http://{HOST}:{port}"
            from portal.demo.loader import DEMO_PASSWORD

            cookies = sign_in(base) if args.map == "national" else sign_in(
                base, "ledning@example.org", DEMO_PASSWORD)
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            for path in urls.values():  # warm each worker's caches once, as a day of use does
                for _ in range(4):
                    httpx.get(base + path, cookies=cookies, timeout=120)
            top, _ = wrk(f"http://{HOST}:{ceiling_port}/", args.seconds)
            rows = []
            for name, path in urls.items():
                status = httpx.get(base + path, cookies=cookies, timeout=120).status_code
                if status != 200:
                    rows.append((name, path, None, 0, f"HTTP {status}"))
                    continue
                rate, bad = wrk(base + path, args.seconds, cookie)
                rows.append((name, path, rate, bad, None))
        finally:
            stop_server(server)
            stop_server(ceiling)
    goal = GOALS[args.map]
    print(f"\nPages against the ceiling ({args.map} map; bare Flask 50-row page: {top:.0f} req/s; "
          f"goal ≥ {goal:.0%})")
    print(f"{'page':<18} {'req/s':>8} {'ratio':>7}  goal")
    results = {}
    for name, path, rate, bad, note in rows:
        if rate is None:
            print(f"{name:<18} {'-':>8} {'-':>7}  {note} ({path})")
            continue
        ratio = rate / top
        mark = "met" if ratio >= goal and not bad else "NOT met"
        extra = f" ({bad} errors)" if bad else ""
        print(f"{name:<18} {rate:>8.1f} {ratio:>7.1%}  {mark}{extra}")
        results[name] = {"path": path, "rps": rate, "ratio": ratio, "errors": bad}
    print(json.dumps({"map": args.map, "ceiling_rps": top, "pages": results}))


if __name__ == "__main__":
    main()
