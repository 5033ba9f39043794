"""The cost of the meeting pages and of the participation analysis on a national map.

    python -m bench.bench_meetings_pages [--scale 1] [--repeats 5] [--many 100] [--few 5]
                                         [--database-url URL]

A generated map with two years of meetings (``bench.meetings``) is imported into an empty
database (SQLite in a temporary folder unless --database-url names an empty PostgreSQL
database). Before the import the forum with the most meetings is given ``--many`` meetings
(weekly ones before its first, attended as its own were) and another forum with members is cut
down to its latest ``--few``. Then, in one process and signed in as an admin (who may open
every meeting page):

- each meeting page's median time and its number of SQL statements, for those two forums (the
  forum page should make the same number of statements for both and take at most 1.5 times as
  long);
- the participation analysis: reading the meetings from the database, their one pass, the four
  participation steps of ``analysis.md`` and the map's observed network.

It prints a table and, last, one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event, func, select

ADMIN, PASSWORD = "bench-admin@example.org", "bench-meetings-pages"  # noqa: S105 - throwaway
FORUM_PAGE_RATIO_GOAL = 1.5
PARTICIPATION_STEPS = ("absent_principal", "inactive_member", "dormant_forum",
                       "unapproved_minutes")


def _median_ms(action, repeats: int) -> tuple[float, object]:
    """Median wall time of ``repeats`` runs in ms, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def shape_forums(document: dict, many: int, few: int) -> tuple[str, str]:
    """Give the busiest forum ``many`` meetings and another forum ``few``; their keys.

    The busiest forum gets weekly held meetings before its first, each attended as one of its
    own was (or loses its earliest); the other is the forum with members whose number of
    meetings is nearest above ``few``, cut down to its latest ``few``.
    """
    by_forum = defaultdict(list)
    for meeting in document["meetings"]:
        by_forum[meeting["forum"]].append(meeting)
    for meetings in by_forum.values():
        meetings.sort(key=lambda m: m["date"])
    busiest = min(by_forum, key=lambda key: (-len(by_forum[key]), key))
    with_members = {f["key"] for f in document["forums"] if f.get("members")}
    small = min((key for key in by_forum if key != busiest and key in with_members
                 and len(by_forum[key]) >= few),
                key=lambda key: (len(by_forum[key]), key))
    own = [m for m in by_forum[busiest] if m.get("status") == "held" and "present" in m]
    first = datetime.date.fromisoformat(by_forum[busiest][0]["date"])
    added = []
    for number in range(1, many - len(by_forum[busiest]) + 1):
        day = first - datetime.timedelta(weeks=number)
        model = own[number % len(own)]
        added.append({"key": f"{busiest}.early{number}", "forum": busiest,
                      "date": day.isoformat(), "status": "held",
                      "present": list(model["present"]),
                      "apologies": list(model.get("apologies") or []),
                      "minutes_approved_on": (day + datetime.timedelta(days=7)).isoformat()})
    dropped = {m["key"] for m in by_forum[small][:-few]}
    dropped |= {m["key"] for m in by_forum[busiest][:max(0, len(by_forum[busiest]) - many)]}
    document["meetings"] = added + [m for m in document["meetings"] if m["key"] not in dropped]
    return busiest, small


def prepare(database: str, scale: float, many: int = 100,
            few: int = 5) -> dict[str, int]:
    """An empty schema, the generated map (two forums shaped) imported, an admin account;
    the map's size and the two forums' keys."""
    from bench.generate import generate
    from portal import create_app
    from portal.auth.services import create_user
    from portal.exchange.services import import_text
    from portal.extensions import db

    document = generate(scale)
    busiest, small = shape_forums(document, many, few)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        import_text(json.dumps(document), None, source="bench")
        took = time.perf_counter() - start
        create_user(None, ADMIN, PASSWORD, "admin", None, check_password=False)
        db.session.remove()
        db.engine.dispose()
    marks = sum(len(m.get("present") or []) + len(m.get("apologies") or [])
                for m in document["meetings"])
    return {"forums": len(document["forums"]), "people": len(document["people"]),
            "meetings": len(document["meetings"]), "attendance_marks": marks,
            "import_s": round(took, 1), "busiest": busiest, "small": small}


def _forums(db, busiest: str, small: str) -> tuple[str, int, str, int]:
    """The two shaped forums with their numbers of meetings, as stored."""
    from portal.models import Forum, Meeting

    counts = dict(db.session.execute(
        select(Forum.key, func.count(Meeting.id)).join(Meeting, Meeting.forum_id == Forum.id)
        .where(Forum.key.in_([busiest, small])).group_by(Forum.key)).all())
    return busiest, counts[busiest], small, counts[small]


def _meeting(db, forum: str) -> str:
    """The forum's latest held meeting with attendance recorded."""
    from portal.models import Forum, Meeting

    return db.session.scalar(
        select(Meeting.key).join(Forum).where(Forum.key == forum, Meeting.status == "held",
                                              Meeting.is_attendance_recorded)
        .order_by(Meeting.meets_on.desc()).limit(1))


def pages(app, repeats: int, shaped: dict) -> tuple[list[tuple], dict]:
    """Each page: name, path, median ms and SQL statements of one request."""
    from portal.extensions import db

    with app.app_context():
        busiest, many, small, few = _forums(db, shaped["busiest"], shaped["small"])
        meeting = _meeting(db, busiest)
    paths = [
        ("my meetings", "/moten"),
        (f"forum page ({many} meetings)", f"/forum/{busiest}"),
        (f"forum page ({few} meetings)", f"/forum/{small}"),
        (f"forum meetings ({many})", f"/forum/{busiest}/moten"),
        ("one meeting", f"/moten/{meeting}"),
        ("agenda", f"/moten/{meeting}/dagordning"),
        ("attendance", f"/moten/{meeting}/narvaro"),
        ("minutes", f"/moten/{meeting}/protokoll"),
        ("printable agenda", f"/moten/{meeting}/foredragningslista"),
        (f"participation ({many})", f"/forum/{busiest}/deltagande"),
        ("findings page", "/analys"),
        ("map data, difference", "/karta/data.json?natverk=skillnad"),
        ("map as text, difference", "/karta/text?natverk=skillnad"),
    ]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": ADMIN, "password": PASSWORD,
                                         "csrf_token": token})
    if answer.status_code != 302:
        sys.exit(f"sign-in failed: {answer.status_code}")
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *_args: statements.append(1))
    rows = []
    for name, path in paths:
        status = client.get(path).status_code  # warm the caches, as a day of use does
        if status != 200:
            rows.append((name, path, None, None, f"HTTP {status}"))
            continue
        statements.clear()
        client.get(path)
        count = len(statements)
        ms, _ = _median_ms(lambda path=path: client.get(path), repeats)
        rows.append((name, path, ms, count, None))
    # The forum pages again as the first reader after a write gets them: the page's content
    # rendered from the database (its kept HTML dropped before each request).
    def afresh(path):
        with app.app_context():
            app.extensions["derived"].html.clear()
        return client.get(path)

    for name, path in [(n, p) for n, p in paths if n.startswith("forum page")]:
        afresh(path)
        statements.clear()
        afresh(path)
        count = len(statements)
        ms, _ = _median_ms(lambda path=path: afresh(path), repeats)
        rows.append((f"{name}, afresh", path, ms, count, None))
    check = {}
    for suffix, label in (("", "forum_page"), (", afresh", "forum_page_afresh")):
        pair = [r for r in rows if r[0].startswith("forum page") and r[0].endswith(")" + suffix)]
        if len(pair) == 2 and None not in (pair[0][2], pair[1][2]):
            check[f"{label}_queries"] = [pair[0][3], pair[1][3]]
            check[f"{label}_time_ratio"] = round(pair[0][2] / pair[1][2], 2)
    return rows, check


def participation(app, repeats: int) -> dict[str, float]:
    """The participation analysis on the stored map, step by step, in ms."""
    from portal.analysis import findings
    from portal.analysis.index import MapIndex
    from portal.analysis.settings import parse_settings
    from portal.exchange.exporter import export_document
    from portal.extensions import db
    from portal.map.observed import observed_network

    as_of = datetime.date(2025, 11, 1)  # the generated meetings are held up to this day
    _shown, thresholds = parse_settings()
    rows = {}
    with app.app_context():
        rows["read the map with its meetings"], doc = _median_ms(
            lambda: export_document(db.session, for_analysis=True), repeats)
        db.session.remove()
    rows["build index"], index = _median_ms(lambda: MapIndex(doc), repeats)
    rows["meetings, one pass"], _ = _median_ms(
        lambda: findings.Context(as_of, thresholds).meetings(index), repeats)
    context = findings.Context(as_of, thresholds)
    context.representation(index)
    context.meetings(index)
    steps = dict(findings.STEPS)
    for name in PARTICIPATION_STEPS:
        rows[f"step {name}"], _ = _median_ms(lambda name=name: steps[name](index, context),
                                             repeats)
    rows["observed network (map)"], network = _median_ms(
        lambda: observed_network(doc, as_of, thresholds.inactive_after_meetings), repeats)
    counts = network.counts()
    return {**rows, **{f"pairs {status}": n for status, n in counts.items()}}


def main() -> None:
    """Prepare the map, measure, print the table and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--many", type=int, default=100,
                        help="meetings of the busiest forum (default 100)")
    parser.add_argument("--few", type=int, default=5,
                        help="meetings of the forum it is compared with (default 5)")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default SQLite)")
    args = parser.parse_args()
    from portal import create_app

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database_url or f"sqlite:///{Path(tmp) / 'meetings.sqlite'}"
        size = prepare(database, args.scale, args.many, args.few)
        print(f"scale {args.scale:g}: {size['forums']} forums, {size['people']} people, "
              f"{size['meetings']} meetings, {size['attendance_marks']} attendance marks "
              f"(imported in {size['import_s']} s)", file=sys.stderr)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database})
        rows, check = pages(app, args.repeats, size)
        analysis = participation(app, args.repeats)
        with app.app_context():
            from portal.extensions import db

            db.session.remove()
            db.engine.dispose()
    print(f"\nMeeting pages (scale {args.scale:g}, median of {args.repeats}, one process)")
    print(f"{'page':<32} {'ms':>9} {'SQL':>5}")
    for name, path, ms, count, note in rows:
        if ms is None:
            print(f"{name:<32} {'-':>9} {'-':>5}  {note} ({path})")
        else:
            print(f"{name:<32} {ms:>9.1f} {count:>5}")
    for label, text in (("forum_page", "forum page"),
                        ("forum_page_afresh", "forum page rendered afresh")):
        if f"{label}_queries" not in check:
            continue
        queries, ratio = check[f"{label}_queries"], check[f"{label}_time_ratio"]
        same = queries[0] == queries[1]
        print(f"{text}: statements {'the same' if same else 'DIFFER'} "
              f"({queries[0]} and {queries[1]}), time "
              f"ratio {ratio:.2f} (goal ≤ {FORUM_PAGE_RATIO_GOAL}: "
              f"{'met' if ratio <= FORUM_PAGE_RATIO_GOAL and same else 'NOT met'})")
    print("\nParticipation analysis")
    for name, value in analysis.items():
        unit = "" if name.startswith("pairs") else " ms"
        print(f"{name:<32} {value:>9.1f}{unit}" if unit else f"{name:<32} {value:>9}")
    print(json.dumps({"scale": args.scale, "size": size, "check": check,
                      "pages": {name: {"path": path, "ms": ms, "sql": count}
                                for name, path, ms, count, _note in rows},
                      "participation_ms": analysis}))


if __name__ == "__main__":
    main()
