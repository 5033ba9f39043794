"""Deterministic positions for the map (pure: a normalized document in, coordinates out).

Forums are drawn as their reporting trees: a forum sits above the forums that report to it, and
the trees are packed side by side in rows. Forums that report to the same forum and have
nobody reporting to them are set in a grid of ``WRAP`` columns, so a national map with dozens of
working groups under one forum stays compact. Organisations and people sit near the forums they
take part in, nudged by a fixed offset derived from their key (CRC-32, never Python's salted
``hash``), so the same map always looks the same.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable

X_STEP = 150  # pixels between columns
Y_STEP = 120  # pixels between reporting levels
WRAP = 8  # leaf forums per row under one parent
ROW_LIMIT = 16  # columns of branches side by side under one parent before a new row
TREE_GAP = 1  # columns between packed trees
ASPECT = 1.4  # the width:height the packing aims for (about that of the map on screen)


def reporting_parents(forums: Iterable[dict]) -> dict[str, str | None]:
    """The forum each forum is drawn below: its ``reports_to``, except for apex forums and cycles.

    A reporting cycle is cut at its lowest key, which then starts a tree of its own.
    """
    forums = list(forums)
    keys = {f["key"] for f in forums}
    parent = {
        f["key"]: (f.get("reports_to") if not f.get("apex") and f.get("reports_to") in keys
                   else None)
        for f in forums
    }
    state: dict[str, int] = {}
    for start in sorted(parent):
        path, current = [], start
        while current is not None and current not in state:
            state[current] = 1
            path.append(current)
            current = parent[current]
        if current is not None and state.get(current) == 1:
            parent[min(path[path.index(current):])] = None
        for forum in path:
            state[forum] = 2
    return parent


def _children(parent: dict[str, str | None], order: dict[str, tuple]) -> dict[str, list[str]]:
    """The forums below each forum, in drawing order."""
    children: dict[str, list[str]] = {key: [] for key in parent}
    for key, up in parent.items():
        if up is not None:
            children[up].append(key)
    for below in children.values():
        below.sort(key=order.__getitem__)
    return children


def _blocks(node: str, children: dict[str, list[str]], boxes: dict) -> list[tuple]:
    """What is drawn below a forum: each branch, then one grid of its leaf forums."""
    below = children[node]
    blocks = [(child, *boxes[child]) for child in below if children[child]]
    leaves = [c for c in below if not children[c]]
    if leaves:
        blocks.append((leaves, min(len(leaves), WRAP), math.ceil(len(leaves) / WRAP)))
    return blocks


def _shelves(blocks: list[tuple]) -> list[list[tuple]]:
    """The blocks below a forum in rows of at most ``ROW_LIMIT`` columns (wider ones alone)."""
    rows: list[list[tuple]] = []
    width = 0
    for block in blocks:
        if rows and width + block[1] <= ROW_LIMIT:
            rows[-1].append(block)
            width += block[1]
        else:
            rows.append([block])
            width = block[1]
    return rows


def _boxes(roots: list[str], children: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """The (width, height) in grid cells of every subtree, computed bottom-up without recursion."""
    boxes: dict[str, tuple[int, int]] = {}
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if not expanded:
                stack.append((node, True))
                stack.extend((child, False) for child in children[node])
                continue
            rows = _shelves(_blocks(node, children, boxes))
            width = max([sum(b[1] for b in row) for row in rows], default=1)
            boxes[node] = (max(1, width), 1 + sum(max(b[2] for b in row) for row in rows))
    return boxes


def _place_tree(root, left, top, children, boxes, cells) -> None:
    """Set the cell (column, row) of every forum of one tree, its top-left corner given."""
    stack = [(root, left, top)]
    while stack:
        node, x0, y = stack.pop()
        cells[node] = (x0 + (boxes[node][0] - 1) / 2, y)
        y += 1
        for row in _shelves(_blocks(node, children, boxes)):
            x = x0
            for block, width, _height in row:
                if isinstance(block, list):
                    for n, leaf in enumerate(block):
                        cells[leaf] = (x + n % WRAP, y + n // WRAP)
                else:
                    stack.append((block, x, y))
                x += width
            y += max(b[2] for b in row)


def _pack(roots: list[str], boxes: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Shelf-pack the trees (tallest first) into rows about ``ASPECT`` times wider than tall."""
    ordered = sorted(roots, key=lambda r: (-boxes[r][1], -boxes[r][0], r))
    area = sum((boxes[r][0] + TREE_GAP) * (boxes[r][1] + TREE_GAP) for r in roots)
    row_width = max([math.sqrt(area * ASPECT)] + [boxes[r][0] for r in roots])
    corners, x, y, shelf = {}, 0, 0, 0
    for root in ordered:
        width, height = boxes[root]
        if x and x + width > row_width:
            x, y, shelf = 0, y + shelf + TREE_GAP, 0
        corners[root] = (x, y)
        x += width + TREE_GAP
        shelf = max(shelf, height)
    return corners


def forum_positions(doc: dict) -> dict[str, tuple[float, float]]:
    """Pixel positions of the forums: reporting trees, top down, packed in rows."""
    forums = doc.get("forums") or []
    order = {f["key"]: (f.get("name") or "", f["key"]) for f in forums}
    parent = reporting_parents(forums)
    children = _children(parent, order)
    roots = sorted((k for k, up in parent.items() if up is None), key=order.__getitem__)
    boxes = _boxes(roots, children)
    cells: dict[str, tuple[float, float]] = {}
    for root, (left, top) in _pack(roots, boxes).items():
        _place_tree(root, left, top, children, boxes, cells)
    return {key: (x * X_STEP, y * Y_STEP) for key, (x, y) in sorted(cells.items())}


def _nudge(key: str, radius: float) -> tuple[float, float]:
    """A fixed offset for a key, on a circle of the given radius."""
    angle = (zlib.crc32(key.encode("utf-8")) % 3600) / 3600 * 2 * math.pi
    return radius * math.cos(angle), radius * math.sin(angle)


def _near(key: str, points: list[tuple[float, float]], radius: float) -> tuple[float, float]:
    """The centre of some points, nudged by the key's offset."""
    dx, dy = _nudge(key, radius)
    if not points:
        return dx, dy
    return (round(sum(p[0] for p in points) / len(points) + dx, 1),
            round(sum(p[1] for p in points) / len(points) + dy, 1))


def layout(doc: dict) -> dict[str, dict[str, tuple[float, float]]]:
    """Positions of every forum, person and organisation of a map: ``{"forum": {key: (x, y)}}``."""
    forums = forum_positions(doc)
    person_points: dict[str, list[tuple[float, float]]] = {}
    org_points: dict[str, list[tuple[float, float]]] = {}
    person_org = {p["key"]: p.get("organisation") for p in doc.get("people") or []}
    for forum in doc.get("forums") or []:
        point = forums[forum["key"]]
        orgs = set()
        for member in forum.get("members") or []:
            person_points.setdefault(member["person"], []).append(point)
            orgs.add(person_org.get(member["person"]))
        for org in orgs:
            org_points.setdefault(org, []).append(point)
    people = {
        key: _near(key, person_points.get(key, []), Y_STEP * 0.35) for key in sorted(person_org)
    }
    organisations = {
        o["key"]: _near(o["key"], org_points.get(o["key"], []), Y_STEP * 0.45)
        for o in doc.get("organisations") or []
    }
    return {"forum": forums, "person": people, "organisation": organisations}
