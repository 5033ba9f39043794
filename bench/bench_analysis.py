"""Time the analysis at 25 %, 50 % and 100 % of national scale.

    python -m bench.bench_analysis [--scales 0.25 0.5 1] [--repeats 3] [--no-metrics] [--cpu]

Prints, per scale, the median time of each analysis step and of the whole ``analyze``, then the
all-pairs reference for parallel structures beside the fast path, the speed-up measured in this
run, and a check that both find the same pairs. ``structure_metrics`` is timed once per scale.
``--cpu`` measures the process's CPU time instead of wall time: on a machine shared with other
work the analysis (one thread) then reads as it would on an idle one.
"""

import argparse
import datetime
import gc
import statistics
import sys
import time
from collections import Counter

from bench.generate import generate, normalize

# metrics imports networkx; importing it here keeps import time out of the first measurement.
from portal.analysis import findings, messages, metrics  # noqa: F401
from portal.analysis.core import analyze, parallel_pairs_pairwise, structure_metrics
from portal.analysis.index import MapIndex
from portal.analysis.pairwise import parallel_structures
from portal.analysis.settings import parse_settings

AS_OF = datetime.date(2025, 11, 1)
GOAL_SECONDS = 1.0
MEETING_KINDS = ("absent_principal", "inactive_member", "dormant_forum", "unapproved_minutes",
                 "single_point_of_failure")


CLOCK = {"clock": time.perf_counter}


def median_ms(action, repeats):
    """Run ``action`` ``repeats`` times; return the median time in ms and the last result."""
    clock = CLOCK["clock"]
    times, result = [], None
    for _ in range(repeats):
        gc.collect()  # start each run without the previous run's garbage
        start = clock()
        result = action()
        times.append((clock() - start) * 1000)
    return statistics.median(times), result


def paused(action):
    """Run ``action`` with the cyclic garbage collector off, as the portal runs the analysis."""
    gc.disable()
    try:
        return action()
    finally:
        gc.enable()


def measure(doc, repeats, with_metrics):
    """Return ``{row: ms}`` for one map, and whether the fast and all-pairs paths agree."""
    _shown, thresholds = parse_settings()
    min_overlap = thresholds.parallel_min_overlap
    context = findings.Context(AS_OF, thresholds)
    rows = {}
    rows["build index"], index = median_ms(lambda: MapIndex(doc), repeats)
    # What several steps share is computed once per analysis; timed here on its own, so that
    # each step's row is the step alone.
    rows["shared: representation"], _ = median_ms(
        lambda: findings.Context(AS_OF, thresholds).representation(index), repeats)
    rows["shared: meetings, one pass"], _ = median_ms(
        lambda: findings.Context(AS_OF, thresholds).meetings(index), repeats)
    context.representation(index)
    context.meetings(index)
    for name, step in findings.STEPS:
        rows[f"step {name}"], _ = median_ms(lambda step=step: step(index, context), repeats)
    found = findings.collect(index, context)
    rows["sort + messages"], _ = median_ms(
        lambda: [messages.render(f, index, "sv") for f in sorted(found, key=findings.sort_key)],
        repeats,
    )
    rows["analyze (all kinds)"], result = median_ms(lambda: analyze(doc, AS_OF), repeats)
    rows["analyze, GC paused"], _ = median_ms(lambda: paused(lambda: analyze(doc, AS_OF)),
                                              repeats)
    rows["parallel, fast path"], fast = median_ms(
        lambda: parallel_structures(MapIndex(doc), min_overlap), repeats
    )
    rows["parallel, all pairs"], reference = median_ms(
        lambda: parallel_pairs_pairwise(doc, min_overlap), repeats
    )
    if with_metrics:
        rows["structure_metrics (1 run)"], _ = median_ms(lambda: structure_metrics(doc), 1)
    counts = Counter(f["kind"] for f in result["findings"])
    return rows, fast == reference, len(result["findings"]), len(fast), counts


def main(argv=None):
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-metrics", action="store_true", help="skip structure_metrics")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    args = parser.parse_args(argv)
    if args.cpu:
        CLOCK["clock"] = time.process_time

    columns, agree = [], True
    for scale in args.scales:
        raw = generate(scale)
        doc = normalize(raw)
        memberships = sum(len(f["members"]) for f in doc["forums"])
        print(
            f"scale {scale:g}: {len(doc['forums'])} forums, {len(doc['people'])} people, "
            f"{memberships} memberships",
            file=sys.stderr,
        )
        rows, same, finding_count, pair_count, counts = measure(
            doc, args.repeats, not args.no_metrics)
        agree &= same
        columns.append((scale, rows, same, finding_count, pair_count, len(doc["forums"]),
                        counts, len(doc["meetings"])))

    print_table(columns, args.repeats)
    slowest = max(rows["analyze (all kinds)"] for _s, rows, *_rest in columns)
    print(f"\nslowest analyze: {slowest:.0f} ms (goal: under {GOAL_SECONDS * 1000:.0f} ms)")
    if not agree:
        print("ERROR: the fast path and the all-pairs reference found different pairs")
        return 1
    return 0


def print_table(columns, repeats):
    """Print one row per step, one column per scale, and the growth from first to last scale."""
    names = list(columns[0][1])
    kind = "CPU ms" if CLOCK["clock"] is time.process_time else "ms"
    header = f"{'median of ' + str(repeats) + ', ' + kind:<28}" + "".join(
        f"{f'{scale:.0%}':>10}" for scale, *_rest in columns
    )
    growth = len(columns) > 1
    if growth:
        header += f"{'growth':>10}"
    print(header)
    print("-" * len(header))
    for name in names:
        line = f"{name:<28}" + "".join(f"{rows[name]:>10.1f}" for _s, rows, *_r in columns)
        if growth and columns[0][1][name] > 0:
            line += f"{columns[-1][1][name] / columns[0][1][name]:>9.1f}x"
        print(line)
    print("-" * len(header))
    ratios = [
        rows["parallel, all pairs"] / rows["parallel, fast path"] for _s, rows, *_r in columns
    ]
    print(f"{'speed-up, fast vs all pairs':<28}" + "".join(f"{r:>9.0f}x" for r in ratios))
    print(f"{'same pairs':<28}" + "".join(f"{str(c[2]):>10}" for c in columns))
    print(f"{'parallel pairs found':<28}" + "".join(f"{c[4]:>10}" for c in columns))
    print(f"{'findings':<28}" + "".join(f"{c[3]:>10}" for c in columns))
    print(f"{'forums':<28}" + "".join(f"{c[5]:>10}" for c in columns))
    print(f"{'meetings':<28}" + "".join(f"{c[7]:>10}" for c in columns))
    for kind in MEETING_KINDS:
        print(f"{kind:<28}" + "".join(f"{c[6][kind]:>10}" for c in columns))
    print(
        "\nThe fast path includes building its index; the all-pairs reference compares every"
        " pair of forums."
    )


if __name__ == "__main__":
    sys.exit(main())
