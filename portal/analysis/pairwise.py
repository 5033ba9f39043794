"""Parallel structures: forums with largely the same members working on the same area.

``parallel_structures`` is the fast path: it only looks at pairs of forums that share a member,
found through an inverted index (person -> forums), so it grows with the number of co-member
pairs instead of with the square of the number of forums. ``parallel_pairs_pairwise`` compares
every pair the plain way; it is the reference the fast path is tested and benchmarked against.
"""

from collections import Counter
from fractions import Fraction
from itertools import combinations

from portal.analysis.index import entries
from portal.analysis.settings import overlap_threshold, round_half_up


def shared_member_counts(index):
    """Count shared members per pair of forums sharing at least one: ``{pair code: count}``.

    A pair of forum ids ``first < second`` is coded as the integer ``first * forums + second``,
    which is cheaper to count than a tuple.
    """
    size = len(index.forum_keys)
    codes = []
    for ids in index.person_forum_ids.values():
        if len(ids) == 2:
            codes.append(ids[0] * size + ids[1])
        elif len(ids) > 2:
            # Each person's forum ids are ascending, so every pair comes out as (lower, higher).
            codes.extend(first * size + second for first, second in combinations(ids, 2))
    return Counter(codes)


def parallel_structures(index, threshold):
    """Return the parallel forum pairs of the map, sorted, for an exact Fraction threshold."""
    num, den = threshold.numerator, threshold.denominator
    keys = index.forum_keys
    members, areas, reports_to = index.members, index.forum_areas, index.reports_to
    sizes = [len(members[key]) for key in keys]
    found = []
    for code, shared in shared_member_counts(index).items():
        first, second = divmod(code, len(keys))
        union = sizes[first] + sizes[second] - shared
        # Exact comparison shared/union >= num/den, by cross-multiplying integers.
        if shared * den < num * union:
            continue
        first, second = keys[first], keys[second]
        if reports_to[first] == second or reports_to[second] == first:
            continue
        shared_areas = areas[first] & areas[second]
        if shared_areas:
            found.append(_pair(first, second, members, shared_areas, Fraction(shared, union)))
    found.sort(key=lambda pair: pair["forums"])
    return found


def parallel_pairs_pairwise(doc, min_overlap):
    """Return the parallel forum pairs by comparing every pair of forums (reference oracle)."""
    threshold = overlap_threshold(min_overlap)
    forums = sorted(entries(doc, "forums"), key=lambda forum: forum["key"])
    members = {f["key"]: {m["person"] for m in f.get("members") or ()} for f in forums}
    areas = {f["key"]: set(f.get("areas") or ()) for f in forums}
    reports_to = {f["key"]: f.get("reports_to") for f in forums}
    keys = [f["key"] for f in forums]
    found = []
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            shared = len(members[first] & members[second])
            if shared == 0:
                continue
            overlap = Fraction(shared, len(members[first] | members[second]))
            if overlap < threshold:
                continue
            if reports_to[first] == second or reports_to[second] == first:
                continue
            shared_areas = areas[first] & areas[second]
            if shared_areas:
                found.append(_pair(first, second, members, shared_areas, overlap))
    return found


def _pair(first, second, members, shared_areas, overlap):
    return {
        "forums": [first, second],
        "overlap": round_half_up(overlap),
        "shared_areas": sorted(shared_areas),
        "shared_members": sorted(members[first] & members[second]),
    }
