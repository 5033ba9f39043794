"""Time the whole `flask analyze --json` process on the national map with meetings, run by run
against a reference, so that a figure can be read apart from how fast the machine is just then.

    python -m bench.bench_command [--runs 10] [--database FILE] [--compare OTHER_CHECKOUT]

The map (`bench.generate`, two years of meetings) is imported into a SQLite file once (kept
with --database, so later runs skip the import). Each round then:

- deletes the stored results and runs `flask analyze --json` as a new process (a state
  analysed for the first time: the issue's "cold" figure), wall and CPU time;
- with --compare, does the same with another checkout of the portal (e.g. a worktree of an
  earlier commit, its bytecode compiled like this one's), so that each pair ran on the
  machine in the same state;
- times a fixed pure-Python loop (ten million additions), the machine's speed at that moment.

This two-core machine's speed varies by a factor of two over minutes (the loop takes 0.5 s
to 1.5 s), which moves every figure with it: the loop says which state a figure was taken in.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-11-01"


def build(path: Path) -> None:
    """Import the national map with its meetings into a new SQLite file."""
    from bench.bench_portal import _app
    from bench.generate import generate
    from portal.exchange.services import import_text
    from portal.extensions import db

    app = _app(f"sqlite:///{path}")
    with app.app_context():
        started = time.perf_counter()
        import_text(json.dumps(generate(1.0)), None, source="bench")
        print(f"imported in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        db.engine.dispose()


def cold(checkout: Path, database: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `flask analyze --json` with nothing stored for the state."""
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM analysis_result")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", FLASK_APP="portal")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "analyze", "--json", "--as-of", AS_OF],  # noqa: S603
                   cwd=checkout, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def reference() -> float:
    """Seconds of a fixed pure-Python loop: how fast the machine is right now."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database", type=Path, default=Path("instance/bench-national.sqlite"))
    parser.add_argument("--compare", type=Path, default=None,
                        help="another checkout of the portal, run in turn with this one")
    args = parser.parse_args(argv)
    if not args.database.exists():
        args.database.parent.mkdir(parents=True, exist_ok=True)
        build(args.database)
    rows = []
    for run in range(1, args.runs + 1):
        row = {"loop": reference(), "this": cold(ROOT, args.database)}
        if args.compare:
            row["other"] = cold(args.compare.resolve(), args.database)
        rows.append(row)
        print(f"run {run}: loop {row['loop']:.2f} s, this {row['this'][0]:.2f} s wall "
              f"{row['this'][1]:.2f} s CPU"
              + (f", other {row['other'][0]:.2f} s wall {row['other'][1]:.2f} s CPU"
                 if args.compare else ""), file=sys.stderr)

    def median(values):
        return statistics.median(values)

    print(f"reference loop: median {median([r['loop'] for r in rows]):.2f} s "
          f"({min(r['loop'] for r in rows):.2f}-{max(r['loop'] for r in rows):.2f})")
    for name in ("this", "other") if args.compare else ("this",):
        walls = [r[name][0] for r in rows]
        cpus = [r[name][1] for r in rows]
        print(f"{name}: `flask analyze --json`, first run: median {median(walls):.2f} s wall "
              f"({min(walls):.2f}-{max(walls):.2f}), {median(cpus):.2f} s CPU")
    if args.compare:
        ratios = [r["this"][0] / r["other"][0] for r in rows]
        print(f"this / other per pair: median {median(ratios):.2f} "
              f"({min(ratios):.2f}-{max(ratios):.2f})")
    print("goal: 1.5 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
