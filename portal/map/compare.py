"""What changed between two states of the map (pure: two documents and their findings in)."""

from __future__ import annotations

from portal.map.whatif import diff_findings


def _forums(doc: dict) -> dict[str, dict]:
    return {f["key"]: f for f in doc.get("forums") or []}


def _memberships(doc: dict) -> set[tuple[str, str]]:
    """Every (forum, person) seat of a map."""
    return {(f["key"], m["person"]) for f in doc.get("forums") or [] for m in f.get("members")
            or []}


def compare_documents(before: dict, after: dict, before_findings: list[dict],
                      after_findings: list[dict]) -> dict:
    """Forums, memberships and findings added and removed between two maps.

    Forums and memberships are matched by key, findings by their kind and subject keys, so a
    finding that is still there with another message or score counts as remaining.
    """
    old_forums, new_forums = _forums(before), _forums(after)
    old_seats, new_seats = _memberships(before), _memberships(after)
    people = {p["key"]: p for p in [*(before.get("people") or []), *(after.get("people") or [])]}
    names = {key: f.get("name") or key for key, f in {**old_forums, **new_forums}.items()}

    def seat(pair: tuple[str, str]) -> dict:
        forum, person = pair
        return {"forum": forum, "forum_name": names.get(forum, forum), "person": person,
                "person_name": (people.get(person) or {}).get("name") or person}

    findings = diff_findings(before_findings, after_findings)
    return {
        "forums_added": [new_forums[k] for k in sorted(set(new_forums) - set(old_forums))],
        "forums_removed": [old_forums[k] for k in sorted(set(old_forums) - set(new_forums))],
        "memberships_added": [seat(p) for p in sorted(new_seats - old_seats)],
        "memberships_removed": [seat(p) for p in sorted(old_seats - new_seats)],
        "findings_resolved": findings["resolved"],
        "findings_new": findings["new"],
        "findings_remaining": len(findings["remaining"]),
    }
