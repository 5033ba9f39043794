"""The coverage matrix: which principal takes part in which focus area (pure: plain data).

A row is a principal (an organisation with ``principal: true``: the region and each
municipality) or a hospital-care unit of a region, since the region's documents ask that
hospital care be included systematically. A cell counts the forums that have the area and a
member from the row's organisation or from an organisation below it (following ``parent``),
as in the ``missing_principal`` finding of analysis.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOSPITAL_WORDS = ("sjukhus", "hospital", "lasarett")


@dataclass
class Row:
    """One row of the matrix: an organisation and its forum count per area."""

    key: str
    name: str
    kind: str  # "region", "municipality", "hospital" or another principal's kind
    parent: str | None = None
    cells: dict[str, list[str]] = field(default_factory=dict)  # area -> forum keys
    gaps: int = 0  # covered areas the organisation has nobody in

    def count(self, area: str) -> int:
        """The number of forums of an area the row's organisation takes part in."""
        return len(self.cells.get(area, ()))


@dataclass
class Matrix:
    """Rows × areas, with the forums of each area."""

    areas: list[dict]
    rows: list[Row]
    area_forums: dict[str, list[str]]

    def covered(self, area: str) -> bool:
        """True when some forum has the area."""
        return bool(self.area_forums.get(area))

    @property
    def covered_keys(self) -> set[str]:
        """The areas some forum has."""
        return {area for area, forums in self.area_forums.items() if forums}


def _ancestors(organisations: dict[str, dict]) -> dict[str, list[str]]:
    """Every organisation with itself and all organisations above it."""
    chains = {}
    for key in organisations:
        chain, seen, current = [], set(), key
        while current is not None and current not in seen and current in organisations:
            seen.add(current)
            chain.append(current)
            current = organisations[current].get("parent")
        chains[key] = chain
    return chains


def hospital_units(organisations: dict[str, dict]) -> list[str]:
    """The topmost units of hospital care below a region, found by their name."""
    chains = _ancestors(organisations)

    def is_hospital(key: str) -> bool:
        org = organisations[key]
        name = (org.get("name") or "").lower()
        return org.get("kind") == "region_unit" and any(w in name for w in HOSPITAL_WORDS)

    found = []
    for key in sorted(organisations):
        chain = chains[key]
        if not is_hospital(key) or any(is_hospital(up) for up in chain[1:]):
            continue
        if any(organisations[up].get("kind") == "region" for up in chain[1:]):
            found.append(key)
    return found


def _rows(organisations: dict[str, dict], chains: dict[str, list[str]]) -> list[Row]:
    """Principals, each region followed by its hospital care, then the other principals."""
    principals = [o for o in organisations.values() if o.get("principal")]
    hospitals = hospital_units(organisations)
    rows: list[Row] = []
    for org in sorted(principals, key=lambda o: (o.get("kind") != "region", o["name"], o["key"])):
        rows.append(Row(org["key"], org["name"], org.get("kind") or "other"))
        rows.extend(
            Row(unit, organisations[unit]["name"], "hospital", parent=org["key"])
            for unit in hospitals if org["key"] in chains[unit]
        )
    return rows


def coverage_matrix(doc: dict) -> Matrix:
    """Build the matrix of a normalized map."""
    organisations = {o["key"]: o for o in doc.get("organisations") or []}
    chains = _ancestors(organisations)
    rows = _rows(organisations, chains)
    row_keys = {row.key for row in rows}
    person_org = {p["key"]: p.get("organisation") for p in doc.get("people") or []}
    areas = sorted(doc.get("areas") or [], key=lambda a: (a.get("name") or "", a["key"]))
    area_forums: dict[str, list[str]] = {a["key"]: [] for a in areas}
    cells: dict[str, dict[str, list[str]]] = {
        row.key: {a["key"]: [] for a in areas} for row in rows
    }
    for forum in sorted(doc.get("forums") or [], key=lambda f: f["key"]):
        present = set()  # the rows' organisations with a member in the forum
        for member in forum.get("members") or []:
            org = person_org.get(member["person"])
            present.update(up for up in chains.get(org, ()) if up in row_keys)
        for area in forum.get("areas") or []:
            area_forums.setdefault(area, []).append(forum["key"])
            for org in present:
                cells[org].setdefault(area, []).append(forum["key"])
    for row in rows:
        row.cells = cells[row.key]
        row.gaps = sum(1 for area, forums in row.cells.items()
                       if area_forums.get(area) and not forums)
    return Matrix(areas=areas, rows=rows, area_forums=area_forums)
