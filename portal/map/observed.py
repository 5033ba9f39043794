"""The observed network beside the formal one: who actually comes to each forum's meetings.

Pure: takes the normalized map document (its `meetings` as the analysis reads them) and
returns plain data. Each person–forum pair gets one status:

- ``attending``: a member present at one of the forum's latest recorded meetings;
- ``absent``: a member (not co-opted) present at none of the latest ``last_count`` recorded
  meetings in the window (as the `inactive_member` finding counts them);
- ``on_call``: a co-opted member (*adjungerad*, who attends when called) who did not come;
- ``guest``: present at a recorded meeting in the window without a seat (a substitute or
  guest);
- ``unrecorded``: a member of a forum with no recorded meeting in the window.

``attended`` says whether the person was present at any recorded meeting in the window: the
observed network is those edges. The window and the order of "the latest" are those of
analysis.md (365 days up to the as-of date; by date, then meeting key, descending).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.analysis.meeting_table import MeetingTable
from portal.analysis.meetings import WINDOW_DAYS, HeldMeetings

STATUSES = ("attending", "absent", "on_call", "guest", "unrecorded")
MODES = ("formal", "observed", "difference")


@dataclass
class Edge:
    """One person–forum pair of the observed network."""

    status: str
    attended: bool
    is_member: bool


@dataclass
class ObservedNetwork:
    """Per forum: its recorded meetings in the window and the status of each person."""

    as_of: date
    last_count: int
    meetings: dict[str, int] = field(default_factory=dict)  # recorded in the window
    edges: dict[str, dict[str, Edge]] = field(default_factory=dict)  # forum -> person -> edge

    def counts(self, forums=None) -> dict[str, int]:
        """How many pairs have each status, over some forums (all when None)."""
        found = dict.fromkeys(STATUSES, 0)
        for forum, people in self.edges.items():
            if forums is None or forum in forums:
                for edge in people.values():
                    found[edge.status] += 1
        return found


def observed_network(doc: dict, as_of: date, last_count: int) -> ObservedNetwork:
    """The observed network of the map on a date, `last_count` latest meetings per member."""
    # The longest allowed due time: no meeting in the window is checked for its minutes here.
    table = MeetingTable.of(doc.get("meetings"))
    held = HeldMeetings(table, as_of, minutes_due_days=WINDOW_DAYS)
    latest = held.latest_first()
    network = ObservedNetwork(as_of=as_of, last_count=last_count)
    for forum in doc.get("forums") or []:
        key = forum["key"]
        recorded = [table.present(m) for m in latest.get(key, [])[:held.in_window.get(key, 0)]]
        network.meetings[key] = len(recorded)
        network.edges[key] = _edges(forum.get("members") or [], recorded, last_count)
    return network


def _edges(members: list[dict], recorded: list, last_count: int) -> dict[str, Edge]:
    """The status of each member and guest of one forum, from its recorded meetings."""
    came, recently = set(), set()
    for n, present in enumerate(recorded):
        came.update(present)
        if n < last_count:
            recently.update(present)
    edges = {}
    for member in members:
        person = member["person"]
        if not recorded:
            status = "unrecorded"
        elif person in recently:
            status = "attending"
        else:
            status = "on_call" if member.get("role") == "adjunct" else "absent"
        edges[person] = Edge(status, person in came, True)
    for person in sorted(came - edges.keys()):
        edges[person] = Edge("guest", True, False)
    return edges


def overlay(elements: dict, network: ObservedNetwork, mode: str,
            person_nodes: dict[str, dict]) -> dict:
    """The drawn elements with member edges classed by what was observed.

    ``difference`` keeps every membership and adds the guests; ``observed`` keeps only the
    pairs where the person came in the window (members and guests), and the people left
    with no edge go. Each edge gets its status as a class and in its data.
    """
    forums = {n["data"]["key"] for n in elements["nodes"] if n["data"].get("type") == "forum"}
    drawn = {n["data"]["id"] for n in elements["nodes"]}
    edges, nodes = [], list(elements["nodes"])
    for edge in elements["edges"]:
        if edge["classes"].split()[0] != "member":  # "member" or "member represents"
            edges.append(edge)
            continue
        person, forum = edge["data"]["source"][2:], edge["data"]["target"][2:]
        found = network.edges.get(forum, {}).get(person)
        if found is None or (mode == "observed" and not found.attended):
            continue
        edges.append(_classed(edge, found))
    if "people" not in elements.get("limited", {}):
        for forum in sorted(forums):
            for person, found in network.edges.get(forum, {}).items():
                if found.status != "guest" or person not in person_nodes:
                    continue
                if f"p:{person}" not in drawn:
                    nodes.append(person_nodes[person])
                    drawn.add(f"p:{person}")
                edges.append(_classed({"group": "edges", "data": {
                    "id": f"p:{person}>f:{forum}", "source": f"p:{person}",
                    "target": f"f:{forum}"}, "classes": "member"}, found))
    if mode == "observed":
        linked = {e["data"]["source"] for e in edges} | set(elements["focus"]["people"])
        nodes = [n for n in nodes if n["data"].get("type") != "person"
                 or n["data"]["id"] in linked or n["data"]["key"] in linked]
    return {**elements, "nodes": nodes, "edges": edges, "observed": {
        "mode": mode, "as_of": network.as_of.isoformat(), "last_count": network.last_count,
        "counts": network.counts(forums)}}


def _classed(edge: dict, found: Edge) -> dict:
    """The edge with its observed status as a class and in its data (a member who represents
    others keeps that class too; the observed status is styled over it)."""
    status = found.status.replace("_", "-")
    extra = " represents" if "represents" in edge["classes"].split() else ""
    return {**edge, "data": {**edge["data"], "status": found.status, "attended": found.attended},
            "classes": f"member {status}{extra}"}
