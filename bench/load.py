"""Load run: gunicorn with 2 workers on a national-scale map, many clients at once, for a while.

    python -m bench.load [--clients 50] [--seconds 60] [--scale 1] [--database-url URL]

A map is generated and imported into a temporary SQLite file (or into an EMPTY PostgreSQL
database given by --database-url), an account like the demo's leadership account is created,
and gunicorn serves the portal on 127.0.0.1 only. The clients sign in once, then request the
dashboard, commission, forum, findings and map-data pages in turn until the time is up, and the
run prints requests per second, p50/p95/p99 per page and overall, and the errors. Everything
stops by itself: each client makes a bounded number of requests, the run has a deadline, and
gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only
EMAIL, PASSWORD = "ledning@example.org", "narvard-demo-load"  # noqa: S105 - a throwaway account
GOAL_P95_MS = 300
MAP_DATA_PATHS = ("/karta/data.json",)
REQUEST_TIMEOUT_S = 30


@dataclass
class Sample:
    """What one request took and whether it failed."""

    page: str
    ms: float
    error: str | None = None


@dataclass
class Plan:
    """The pages to request, by name, each a list of URLs to rotate through."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def prepare(database: str, scale: float) -> tuple[Plan, dict[str, int]]:
    """Create the schema, import a generated map and the account; choose the URLs."""
    from sqlalchemy import func, select

    from portal import create_app
    from portal.auth.services import create_user
    from portal.exchange.services import import_text
    from portal.extensions import db
    from portal.models import Commission, Forum, ForumMembership, Person

    document = generate(scale)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        db.drop_all()
        db.create_all()
        import_text(json.dumps(document), None, source="load")
        lead = db.session.scalar(select(Person).join(Commission, Commission.lead_id == Person.id)
                                 .order_by(Commission.starts_on.desc()).limit(1))
        create_user(None, EMAIL, PASSWORD, "leadership", lead, check_password=False)
        busiest = select(ForumMembership.forum_id).group_by(ForumMembership.forum_id).order_by(
            func.count().desc()).limit(20)
        forums = db.session.scalars(select(Forum.key).where(Forum.id.in_(busiest))).all()
        commissions = db.session.scalars(select(Commission.key).order_by(Commission.key)).all()
        rules = {rule.rule for rule in app.url_map.iter_rules()}
        db.session.remove()
        db.engine.dispose()
    random.Random(1).shuffle(commissions)  # noqa: S311 - a spread of pages, not secrets
    plan = Plan(pages={
        "dashboard": ["/"],
        "commission": [f"/uppdrag/{key}" for key in commissions[:20]],
        "forum": [f"/forum/{key}" for key in forums],
        "findings": ["/analys"],
    })
    map_data = next((path for path in MAP_DATA_PATHS if path in rules), None)
    if map_data:
        plan.pages["map data"] = [map_data]
    else:
        plan.notes.append(f"no map-data endpoint ({', '.join(MAP_DATA_PATHS)}) yet: skipped")
    sizes = {name: len(document[name]) for name in ("forums", "people", "commissions")}
    return plan, sizes


def free_port() -> int:
    """A port on the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(database: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    """Start gunicorn on the loopback address and wait until the portal answers."""
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": secrets.token_hex(32),
           "PORTAL_ENV": "development", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               f"{HOST}:{port}", "--chdir", str(ROOT), "--timeout", "120",
               "--error-logfile", str(log), "portal:create_app()"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {log.read_text(encoding='utf-8')[-2000:]}")
        try:
            if httpx.get(f"http://{HOST}:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn gracefully, and for good if it does not stop in time."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def sign_in(base: str) -> httpx.Cookies:
    """Sign in through the form, as a person would, and return the session cookie."""
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        answer = client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                             "csrf_token": token})
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in failed: {answer.status_code}")
        return httpx.Cookies(client.cookies)


def client_loop(base: str, cookies: httpx.Cookies, plan: Plan, number: int, deadline: float,
                limit: int, think: float, samples: list[Sample]) -> None:
    """One client: request the pages in turn until the deadline or the request limit."""
    names = list(plan.pages)
    mine: list[Sample] = []
    with httpx.Client(base_url=base, cookies=cookies, timeout=REQUEST_TIMEOUT_S) as client:
        for step in range(limit):
            if time.monotonic() >= deadline:
                break
            name = names[(number + step) % len(names)]
            urls = plan.pages[name]
            url = urls[(number + step // len(names)) % len(urls)]
            start = time.perf_counter()
            try:
                status = client.get(url).status_code
                error = None if status == 200 else f"HTTP {status}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            mine.append(Sample(name, (time.perf_counter() - start) * 1000, error))
            if think:
                time.sleep(think)
    samples.extend(mine)  # list.extend is atomic under the GIL


def warm_up(base: str, cookies: httpx.Cookies, plan: Plan, workers: int) -> None:
    """Let every worker compute its analysis cache once before the clock starts."""
    with httpx.Client(base_url=base, cookies=cookies, timeout=120) as client:
        for urls in plan.pages.values():
            for _ in range(2 * workers):
                client.get(urls[0])


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(samples: list[Sample], plan: Plan, seconds: float) -> bool:
    """Print the figures per page and overall; return whether the goal was met."""
    print(f"{'page':<12}{'requests':>10}{'errors':>8}{'req/s':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    rows = [(name, [s for s in samples if s.page == name]) for name in plan.pages]
    rows.append(("overall", samples))
    for name, group in rows:
        times = [s.ms for s in group] or [0.0]
        errors = sum(1 for s in group if s.error)
        print(f"{name:<12}{len(group):>10}{errors:>8}{len(group) / seconds:>9.1f}"
              f"{percentile(times, .5):>9.0f}{percentile(times, .95):>9.0f}"
              f"{percentile(times, .99):>9.0f}")
    kinds: dict[str, int] = {}
    for sample in samples:
        if sample.error:
            kinds[sample.error] = kinds.get(sample.error, 0) + 1
    if kinds:
        print("errors: " + ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items())))
    p95 = percentile([s.ms for s in samples] or [0.0], .95)
    met = not kinds and p95 < GOAL_P95_MS
    print(f"goal (no errors, p95 under {GOAL_P95_MS} ms): {'met' if met else 'NOT met'}")
    return met


def run(args: argparse.Namespace) -> bool:
    """Prepare the map, serve it, load it, report."""
    with tempfile.TemporaryDirectory(prefix="samverkan-load-") as folder:
        from config import normalise_database_url

        database = normalise_database_url(
            args.database_url or f"sqlite:///{Path(folder) / 'load.sqlite'}")
        print(f"preparing a map at scale {args.scale:g} …", file=sys.stderr)
        plan, sizes = prepare(database, args.scale)
        for note in plan.notes:
            print(f"note: {note}")
        port = args.port or free_port()
        server = start_server(database, port, args.workers, Path(folder) / "gunicorn.log")
        try:
            base = f"http://{HOST}:{port}"
            cookies = sign_in(base)
            warm_up(base, cookies, plan, args.workers)
            samples: list[Sample] = []
            start = time.monotonic()
            deadline = start + args.seconds
            limit = max(1, args.seconds * 200)  # requests per client, a bound on the loop
            threads = [threading.Thread(target=client_loop, daemon=True, args=(
                base, cookies, plan, n, deadline, limit, args.think, samples))
                for n in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + REQUEST_TIMEOUT_S + 5)
            elapsed = time.monotonic() - start
        finally:
            stop_server(server)
        kind = "PostgreSQL" if database.startswith("postgres") else "SQLite"
        pause = f", {args.think:g} s between requests" if args.think else ", back to back"
        print(f"load run: {args.clients} clients for {args.seconds} s{pause}, gunicorn with "
              f"{args.workers} workers, {kind}, map scale {args.scale:g} ({sizes['forums']} "
              f"forums, {sizes['people']} people, {sizes['commissions']} commissions)")
        return report(samples, plan, elapsed)


def main(argv: list[str] | None = None) -> int:
    """Run the load test with the options given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each client waits between requests (default: none)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY PostgreSQL database to use instead of SQLite")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 1 <= args.seconds <= 3600:
        parser.error("--clients must be 1–500 and --seconds 1–3600")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
