"""What-if: the map as it would be after merging two forums or dissolving one (pure).

Both functions return a new document and leave the one given untouched: only the lists and
entries they change are copied, so a national map is not deep-copied for a preview.
"""

from __future__ import annotations

from collections.abc import Callable

ROLE_RANK = ("chair", "coordinator", "secretary", "member", "adjunct")


class WhatIfError(ValueError):
    """The change cannot be previewed (an unknown forum, or a forum merged with itself)."""


def _forums(doc: dict) -> dict[str, dict]:
    return {f["key"]: f for f in doc.get("forums") or []}


def _redirect(entries: list[dict], fields: tuple[str, ...], old: str, new: str | None,
              drop: Callable[[dict], bool] | None = None) -> list[dict]:
    """Entries with every reference to ``old`` in ``fields`` changed to ``new``."""
    changed = []
    for entry in entries:
        if drop is not None and drop(entry):
            continue
        if any(entry.get(name) == old for name in fields):
            entry = {**entry, **{name: new for name in fields if entry.get(name) == old}}
        changed.append(entry)
    return changed


def _merged_members(first: list[dict], second: list[dict]) -> list[dict]:
    """The union of two member lists; a person in both keeps the more responsible role."""
    roles: dict[str, str] = {}
    for member in [*second, *first]:
        current = roles.get(member["person"])
        role = member.get("role", "member")
        rank = ROLE_RANK.index(role) if role in ROLE_RANK else len(ROLE_RANK)
        if current is None or rank < ROLE_RANK.index(current):
            roles[member["person"]] = role if role in ROLE_RANK else "member"
    return [{"person": person, "role": role} for person, role in sorted(roles.items())]


def merge(doc: dict, absorbed: str, into: str) -> dict:
    """The map with forum ``absorbed`` merged into forum ``into``.

    The merged forum keeps ``into``'s key and name and gets both forums' members, areas,
    reporting forums, decisions, actions and commissions. It reports where ``into`` did, or
    where ``absorbed`` did when ``into`` reported to ``absorbed``; it is apex if either was.

    :raise WhatIfError: for an unknown forum or a forum merged with itself.
    """
    forums = _forums(doc)
    if absorbed == into:
        raise WhatIfError("a forum cannot be merged with itself")
    for key in (absorbed, into):
        if key not in forums:
            raise WhatIfError(f"unknown forum {key!r}")
    old, kept = forums[absorbed], forums[into]
    reports_to = kept.get("reports_to")
    if reports_to == absorbed:
        reports_to = old.get("reports_to")
    merged = {
        **kept,
        "areas": sorted(set(kept.get("areas") or []) | set(old.get("areas") or [])),
        "members": _merged_members(kept.get("members") or [], old.get("members") or []),
        "apex": bool(kept.get("apex") or old.get("apex")),
        "reports_to": None if reports_to in (absorbed, into) else reports_to,
    }
    new_forums = []
    for forum in doc.get("forums") or []:
        if forum["key"] == absorbed:
            continue
        forum = merged if forum["key"] == into else forum
        if forum.get("reports_to") == absorbed:
            forum = {**forum, "reports_to": into}
        new_forums.append(forum)
    return _with_references(doc, new_forums, absorbed, into)


def dissolve(doc: dict, key: str) -> dict:
    """The map without forum ``key``: the forums reporting to it move up to its own line.

    Its actions and commissions lose their owning forum and its decisions go with it.

    :raise WhatIfError: for an unknown forum.
    """
    forums = _forums(doc)
    if key not in forums:
        raise WhatIfError(f"unknown forum {key!r}")
    up = forums[key].get("reports_to")
    up = None if up == key else up
    new_forums = [
        {**f, "reports_to": up} if f.get("reports_to") == key else f
        for f in doc.get("forums") or [] if f["key"] != key
    ]
    return _with_references(doc, new_forums, key, None)


def _with_references(doc: dict, forums: list[dict], old: str, new: str | None) -> dict:
    """A copy of the document with new forums and the other lists pointing away from ``old``."""
    changed = {**doc, "forums": forums}
    changed["actions"] = _redirect(doc.get("actions") or [], ("owner_forum",), old, new)
    changed["commissions"] = _redirect(doc.get("commissions") or [], ("owner",), old, new)
    decisions = doc.get("decisions") or []
    if new is None:
        changed["decisions"] = [d for d in decisions if d.get("forum") != old]
    else:
        changed["decisions"] = _redirect(decisions, ("forum",), old, new)
    return changed


def finding_key(finding: dict) -> str:
    """A stable identity of a finding: its kind and subject keys (analysis.md)."""
    parts = list(finding.get("forums") or [])
    for name in ("organisation", "area", "forum", "person", "action", "recommendation",
                 "milestone", "meeting"):
        if finding.get(name):
            parts.append(str(finding[name]))
    return f"{finding['kind']}:{'+'.join(parts)}"


def diff_findings(before: list[dict], after: list[dict]) -> dict[str, list[dict]]:
    """Findings that the change resolves, the new ones it creates, and those that remain."""
    old = {finding_key(f): f for f in before}
    new = {finding_key(f): f for f in after}
    return {
        "resolved": [f for k, f in old.items() if k not in new],
        "new": [f for k, f in new.items() if k not in old],
        "remaining": [f for k, f in new.items() if k in old],
    }
