"""Which focus areas, organisations and entities a finding concerns (pure: plain data in/out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.analysis.meeting_table import MeetingTable


@dataclass
class MapLookup:
    """Fast look-ups over a normalized document, built once per state of the database."""

    names: dict[tuple[str, str], str] = field(default_factory=dict)
    forum_areas: dict[str, list[str]] = field(default_factory=dict)
    forum_members: dict[str, list[str]] = field(default_factory=dict)
    person_forums: dict[str, list[str]] = field(default_factory=dict)
    person_org: dict[str, str] = field(default_factory=dict)
    org_ancestors: dict[str, list[str]] = field(default_factory=dict)
    action: dict[str, dict] = field(default_factory=dict)
    recommendation: dict[str, dict] = field(default_factory=dict)
    milestone: dict[str, dict] = field(default_factory=dict)
    commission: dict[str, dict] = field(default_factory=dict)


def build_lookup(doc: dict[str, Any]) -> MapLookup:
    """Index a document for finding look-ups."""
    lookup = MapLookup()
    names = lookup.names
    parents = {o["key"]: o["parent"] for o in doc["organisations"]}
    for org in doc["organisations"]:
        names["organisation", org["key"]] = org["name"]
        chain, seen, current = [], set(), org["key"]
        while current is not None and current not in seen:  # parents never cycle; be safe
            seen.add(current)
            chain.append(current)
            current = parents.get(current)
        lookup.org_ancestors[org["key"]] = chain
    for person in doc["people"]:
        names["person", person["key"]] = person["name"]
        lookup.person_org[person["key"]] = person["organisation"]
    for area in doc["areas"]:
        names["area", area["key"]] = area["name"]
    for forum in doc["forums"]:
        names["forum", forum["key"]] = forum["name"]
        lookup.forum_areas[forum["key"]] = forum["areas"]
        people = [m["person"] for m in forum["members"]]
        lookup.forum_members[forum["key"]] = people
        for person in people:
            lookup.person_forums.setdefault(person, []).append(forum["key"])
    meetings = doc.get("meetings") or ()
    if isinstance(meetings, MeetingTable):  # the stored map: no titles, no dicts to build
        for key, forum, day in meetings.dated_keys():
            names["meeting", key] = f"{names.get(('forum', forum), forum)} {day}"
    else:
        for meeting in meetings:
            forum_name = names.get(("forum", meeting["forum"]), meeting["forum"])
            names["meeting", meeting["key"]] = (meeting.get("title")
                                                or f"{forum_name} {meeting['date']}")
    for commission in doc["commissions"]:
        names["commission", commission["key"]] = commission["title"]
        lookup.commission[commission["key"]] = commission
    for name, attr, label in (("actions", "action", "title"),
                              ("recommendations", "recommendation", "text"),
                              ("milestones", "milestone", "title")):
        for entry in doc[name]:
            names[attr, entry["key"]] = entry[label]
            getattr(lookup, attr)[entry["key"]] = entry
    return lookup


def entities(finding: dict[str, Any]) -> list[tuple[str, str]]:
    """The (type, key) pairs a finding names, in reading order."""
    found: list[tuple[str, str]] = []
    for forum in finding.get("forums", []):
        found.append(("forum", forum))
    for kind in ("forum", "organisation", "area", "person", "action", "recommendation",
                 "milestone", "meeting"):
        if finding.get(kind):
            found.append((kind, finding[kind]))
    for area in finding.get("shared_areas", []):
        found.append(("area", area))
    for person in finding.get("shared_members", []):
        found.append(("person", person))
    return found


def _orgs_of_people(lookup: MapLookup, people) -> set[str]:
    """Organisations (with their ancestors) of some people."""
    orgs: set[str] = set()
    for person in people:
        org = lookup.person_org.get(person)
        if org:
            orgs.update(lookup.org_ancestors.get(org, [org]))
    return orgs


def scope(finding: dict[str, Any], lookup: MapLookup) -> tuple[set[str], set[str]]:
    """The focus areas and organisations a finding concerns, for filtering."""
    areas: set[str] = set(finding.get("shared_areas", []))
    people: set[str] = set(finding.get("shared_members", []))
    orgs: set[str] = set()
    if finding.get("area"):
        areas.add(finding["area"])
    if finding.get("organisation"):
        orgs.add(finding["organisation"])
    forums = list(finding.get("forums", [])) + ([finding["forum"]] if finding.get("forum") else [])
    for forum in forums:
        areas.update(lookup.forum_areas.get(forum, []))
        people.update(lookup.forum_members.get(forum, []))
    if finding.get("person"):
        people.add(finding["person"])
        for forum in lookup.person_forums.get(finding["person"], []):
            areas.update(lookup.forum_areas.get(forum, []))
    for kind in ("action", "recommendation"):
        entry = getattr(lookup, kind).get(finding.get(kind) or "")
        if entry:
            areas.update(entry.get("areas", []))
            if entry.get("owner_person"):
                people.add(entry["owner_person"])
            if entry.get("owner_forum"):
                people.update(lookup.forum_members.get(entry["owner_forum"], []))
    milestone = lookup.milestone.get(finding.get("milestone") or "")
    if milestone:
        commission = lookup.commission.get(milestone["commission"], {})
        if commission.get("lead"):
            people.add(commission["lead"])
    orgs.update(_orgs_of_people(lookup, people))
    return areas, orgs
