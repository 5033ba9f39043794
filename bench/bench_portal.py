"""Time the portal around the analysis: import, export and the whole `flask analyze` command.

    python -m bench.bench_portal [--scales 0.25 0.5 1] [--repeats 3] [--database-url URL]

For each scale a national map is generated, imported into an empty database (SQLite in a
temporary folder unless --database-url names an empty PostgreSQL database), exported, and
analysed by `flask analyze --json` as a new process (process start included). The analysis is
then run again in one process with the fast parallel-structure step and with the all-pairs
reference in its place, so the speed-up of the whole analysis is a ratio measured in this run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete

from bench.generate import generate

AS_OF = "2025-11-01"
COMMAND_GOAL_S = 1.5
COLD = "`flask analyze --json`, first run"
WARM = "`flask analyze --json`, stored result"


def _median(action, repeats: int) -> tuple[float, object]:
    """Median wall time in seconds of `repeats` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _app(url: str):
    """An app on the given database with an empty schema."""
    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def measure(scale: float, repeats: int, url: str | None) -> dict[str, float]:
    """Return the timings of one scale, in seconds."""
    from portal.exchange.exporter import export_document
    from portal.exchange.services import import_text
    from portal.extensions import db
    from portal.models import AnalysisResult

    rows: dict[str, float] = {}
    text = json.dumps(generate(scale))
    with tempfile.TemporaryDirectory() as folder:
        database = url or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = _app(database)
        with app.app_context():
            start = time.perf_counter()
            import_text(text, None, source="bench")
            rows["import (validate + write)"] = time.perf_counter() - start
            start = time.perf_counter()
            import_text(text, None, source="bench")
            rows["import again (no changes)"] = time.perf_counter() - start
            rows["export (read the map)"], doc = _median(
                lambda: export_document(db.session), repeats)
            from portal.analysis.core import analyze, parallel_pairs_pairwise

            as_of = datetime.date.fromisoformat(AS_OF)
            from portal.runtime import gc_paused

            def paused(action):  # as the portal runs the analysis
                with gc_paused():
                    return action()

            rows["analyze in process"], _ = _median(
                lambda: paused(lambda: analyze(doc, as_of)), repeats)
            rows["all-pairs parallel step"], _ = _median(
                lambda: paused(lambda: parallel_pairs_pairwise(doc, 0.5)), 1)
            db.engine.dispose()
        env = dict(os.environ, DATABASE_URL=database, FLASK_APP="portal")
        command = [sys.executable, "-m", "flask", "analyze", "--json", "--as-of", AS_OF]

        def run_command(forget: bool):
            if forget:  # a cold run: no process has analysed this state yet
                with app.app_context():
                    db.session.execute(delete(AnalysisResult))
                    db.session.commit()
                    db.engine.dispose()
            subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603

        rows[COLD], _ = _median(lambda: run_command(True), repeats)
        rows[WARM], _ = _median(lambda: run_command(False), repeats)
    return rows


def main(argv=None) -> int:
    """Run the benchmark and print one column per scale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY PostgreSQL database to use instead of SQLite")
    args = parser.parse_args(argv)
    columns = []
    for scale in args.scales:
        print(f"scale {scale:g} …", file=sys.stderr)
        columns.append((scale, measure(scale, args.repeats, args.database_url)))
    names = list(columns[0][1])
    header = f"{'seconds (median of ' + str(args.repeats) + ')':<40}" + "".join(
        f"{f'{scale:.0%}':>10}" for scale, _ in columns)
    print(header)
    print("-" * len(header))
    for name in names:
        print(f"{name:<40}" + "".join(f"{rows[name]:>10.3f}" for _, rows in columns))
    print("-" * len(header))
    ratios = [rows["all-pairs parallel step"] / rows["analyze in process"] for _, rows in columns]
    print(f"{'all-pairs step / whole fast analysis':<40}" + "".join(
        f"{r:>9.1f}x" for r in ratios))
    last = columns[-1][1]
    print(f"\n`flask analyze --json` at {columns[-1][0]:.0%}, a new process each time: "
          f"{last[COLD]:.2f} s when nothing is stored for this state yet, {last[WARM]:.2f} s "
          f"when a worker or an earlier run stored it (goal: well under {COMMAND_GOAL_S} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
