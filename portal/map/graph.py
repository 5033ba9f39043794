"""The map as Cytoscape elements, filtered and with its findings marked (pure: plain data).

``MapModel`` is built once per state of the database (it is cached by the services) and then
answers each request's filter with a slice of its prepared elements, so a filtered national map
costs a pass over the forums, not a new layout or analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.map.layout import layout
from portal.map.whatif import finding_key

# The finding kinds the map draws, and the mark each leaves on a forum or a person.
MAP_KINDS = {
    "parallel_structure": "parallel",
    "orphan_forum": "orphan",
    "reporting_cycle": "cycle",
    "single_point_of_failure": "spof",
    "overloaded_person": "overloaded",
}
PEOPLE_LIMIT = 2500  # people drawn at most; more asks for a narrower filter
ORGANISATION_LIMIT = 600
FOCUS_GAP, FOCUS_STEP, FOCUS_ROW = 100, 110, 6  # how a finding's people are set out below it


@dataclass
class Filters:
    """What the reader narrowed the map to; empty fields do not filter."""

    area: str = ""
    level: str = ""
    kind: str = ""
    organisation: str = ""
    people: bool = False
    organisations: bool = False
    focus: str = ""
    network: str = ""  # "", "observed" or "difference" (portal.map.observed)

    @property
    def narrows(self) -> bool:
        """True when the filter leaves out some forums."""
        return bool(self.area or self.level or self.kind or self.organisation)


@dataclass
class MapModel:
    """A map prepared for drawing: elements, marks and the look-ups filters need."""

    forums: dict[str, dict] = field(default_factory=dict)  # key -> the forum entry
    forum_nodes: dict[str, dict] = field(default_factory=dict)
    person_nodes: dict[str, dict] = field(default_factory=dict)
    org_nodes: dict[str, dict] = field(default_factory=dict)
    forum_orgs: dict[str, set[str]] = field(default_factory=dict)  # with ancestors
    forum_direct_orgs: dict[str, set[str]] = field(default_factory=dict)
    person_forums: dict[str, list[str]] = field(default_factory=dict)
    findings: dict[str, dict] = field(default_factory=dict)  # finding key -> finding
    order: list[str] = field(default_factory=list)  # forum keys by name
    children: dict[str, list[str]] = field(default_factory=dict)  # forums reporting to each
    # Representation: forum -> person -> the organisations they represent there besides
    # their own (on_behalf_of), and forum -> the organisations whose population it serves.
    represented: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    org_names: dict[str, str] = field(default_factory=dict)

    def select(self, filters: Filters) -> list[str]:
        """The keys of the forums the filter keeps, ordered by name."""
        if not filters.narrows:
            return list(self.order)
        kept = []
        for key in self.order:
            forum = self.forums[key]
            if filters.area and filters.area not in forum["areas"]:
                continue
            if filters.level and forum["level"] != filters.level:
                continue
            if filters.kind and forum["kind"] != filters.kind:
                continue
            if filters.organisation and not self._involves(key, filters.organisation):
                continue
            kept.append(key)
        return kept

    def elements(self, filters: Filters) -> dict:
        """The nodes and edges to draw for a filter, with what was left out and why."""
        keys = self.select(filters)
        focus = self.focus(filters.focus)
        shown = set(keys) | set(focus["forums"])
        nodes = [self.forum_nodes[k] for k in keys]
        nodes += [self.forum_nodes[k] for k in focus["forums"] if k not in set(keys)]
        edges = [
            _edge(f"f:{k}", f"f:{self.forums[k]['reports_to']}", "reports")
            for k in sorted(shown)
            if self.forums[k]["reports_to"] in shown and self.forums[k]["reports_to"] != k
        ]
        limited = {}
        people = set(focus["people"])
        if filters.people:
            every = {p for k in keys for p in self.forums[k]["people"]}
            if len(every) <= PEOPLE_LIMIT:
                people |= every
            else:
                limited["people"] = len(every)
        placed = self._around_focus(focus)
        for person in sorted(people):
            nodes.append(placed.get(person) or self.person_nodes[person])
            edges += [self._member_edge(person, f)
                      for f in self.person_forums.get(person, ()) if f in shown]
        if filters.organisations:
            orgs = {o for k in keys for o in self.forum_direct_orgs[k]}
            orgs |= {o for k in keys for o in self._represented_orgs(k)}
            if len(orgs) <= ORGANISATION_LIMIT:
                for org in sorted(orgs):
                    nodes.append(self.org_nodes[org])
                edges += [_edge(f"o:{org}", f"f:{k}", "takes-part")
                          for k in sorted(shown) for org in sorted(self.forum_direct_orgs[k])
                          if org in orgs]
                edges += self._represented_edges(sorted(shown), orgs)
            else:
                limited["organisations"] = len(orgs)
        return {"nodes": nodes, "edges": edges, "forum_count": len(keys),
                "limited": limited, "focus": focus}

    # --- Representation (on_behalf_of, scope): drawn and named, never a finding ------------

    def _involves(self, forum: str, org: str) -> bool:
        """True when the organisation (or a unit of it) sits in the forum, or someone there
        represents it on its behalf."""
        return org in self.forum_orgs[forum] or org in self._represented_orgs(forum)

    def _represented_orgs(self, forum: str) -> set[str]:
        """The organisations represented in the forum by someone from another one."""
        return {o for orgs in self.represented.get(forum, {}).values() for o in orgs}

    def _member_edge(self, person: str, forum: str) -> dict:
        """A membership line; one who represents others besides their own organisation is
        drawn apart and the line names them (`represents`), for the legend and the panel."""
        edge = _edge(f"p:{person}", f"f:{forum}", "member")
        orgs = self.represented.get(forum, {}).get(person)
        if orgs:
            edge["classes"] = "member represents"
            edge["data"]["represents"] = [self.org_names.get(o, o) for o in orgs]
        return edge

    def _represented_edges(self, forums: list[str], drawn: set[str]) -> list[dict]:
        """Dotted lines from each represented organisation to the forums it is represented in
        by someone from another organisation (through whom: `via`)."""
        edges = []
        for forum in forums:
            via: dict[str, list[str]] = {}
            for person, orgs in sorted(self.represented.get(forum, {}).items()):
                for org in orgs:
                    via.setdefault(org, []).append(person)
            for org in sorted(via):
                if org in drawn and org not in self.forum_direct_orgs[forum]:
                    edge = _edge(f"o:{org}", f"f:{forum}", "on-behalf")
                    edge["data"]["via"] = via[org]
                    edges.append(edge)
        return edges

    def _around_focus(self, focus: dict) -> dict[str, dict]:
        """The finding's people, set in rows just below its forums so that both fit one view.

        A person's usual place is the middle of all their forums, which for someone in many
        forums can be far from the two a finding is about.
        """
        points = [self.forum_nodes[f]["position"] for f in focus["forums"]]
        if not points or not focus["people"]:
            return {}
        x = sum(p["x"] for p in points) / len(points)
        y = max(p["y"] for p in points) + FOCUS_GAP
        placed = {}
        for n, person in enumerate(sorted(focus["people"])):
            row, col = divmod(n, FOCUS_ROW)
            width = min(len(focus["people"]) - row * FOCUS_ROW, FOCUS_ROW)
            node = self.person_nodes[person]
            placed[person] = {**node, "position": {"x": x + (col - (width - 1) / 2) * FOCUS_STEP,
                                                   "y": y + row * FOCUS_STEP}}
        return placed

    def focus(self, key: str) -> dict:
        """The forums and people a finding names, to be drawn and highlighted."""
        finding = self.findings.get(key)
        if finding is None:
            return {"finding": None, "forums": [], "people": [], "shared": []}
        forums = list(finding.get("forums") or [])
        if finding.get("forum"):
            forums.append(finding["forum"])
        people = list(finding.get("shared_members") or [])
        if finding.get("person"):
            people.append(finding["person"])
            if "cut_off" in finding:  # a single point of failure: the forums it would cut off
                forums += [f for f in finding["cut_off"] if f not in forums]
            else:
                forums += [f for f in self.person_forums.get(finding["person"], ())
                           if f not in forums]
        return {"finding": key, "forums": [f for f in forums if f in self.forums],
                "people": [p for p in people if p in self.person_nodes],
                "shared": list(finding.get("shared_members") or [])}


def _edge(source: str, target: str, kind: str) -> dict:
    """A Cytoscape edge between two node ids; a reporting line points at the forum reported to."""
    return {"group": "edges", "data": {"id": f"{source}>{target}", "source": source,
                                       "target": target}, "classes": kind}


def _marks(findings: list[dict]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The marks of the map's findings on forums and on people."""
    forum_marks: dict[str, set[str]] = {}
    person_marks: dict[str, set[str]] = {}
    for finding in findings:
        mark = MAP_KINDS.get(finding["kind"])
        if mark is None:
            continue
        for forum in [*(finding.get("forums") or []), finding.get("forum")]:
            if forum:
                forum_marks.setdefault(forum, set()).add(mark)
        if finding.get("person"):
            person_marks.setdefault(finding["person"], set()).add(mark)
    return forum_marks, person_marks


def _node(prefix: str, key: str, label: str, point, classes: list[str], **data) -> dict:
    """A Cytoscape node at its fixed position."""
    return {"group": "nodes", "data": {"id": f"{prefix}:{key}", "key": key, "label": label,
                                       **data},
            "position": {"x": point[0], "y": point[1]}, "classes": " ".join(classes)}


def build_model(doc: dict, findings: list[dict]) -> MapModel:
    """Prepare a normalized map and its findings for drawing."""
    positions = layout(doc)
    model = MapModel()
    forum_marks, person_marks = _marks(findings)
    model.findings = {finding_key(f): f for f in findings if f["kind"] in MAP_KINDS}
    organisations = {o["key"]: o for o in doc.get("organisations") or []}
    people = {p["key"]: p for p in doc.get("people") or []}
    ancestors = _ancestor_chains(organisations)
    for forum in sorted(doc.get("forums") or [], key=lambda f: (f.get("name") or "", f["key"])):
        key = forum["key"]
        members = [m["person"] for m in forum.get("members") or []]
        model.order.append(key)
        model.forums[key] = {"areas": set(forum.get("areas") or []), "level": forum.get("level"),
                             "kind": forum.get("kind"), "reports_to": forum.get("reports_to"),
                             "people": members}
        direct = {people[p]["organisation"] for p in members if p in people}
        model.forum_direct_orgs[key] = direct
        model.forum_orgs[key] = {up for org in direct for up in ancestors.get(org, (org,))}
        for person in members:
            model.person_forums.setdefault(person, []).append(key)
        marks = sorted(forum_marks.get(key, ()))
        classes = ["forum", f"level-{forum.get('level')}", *marks]
        if forum.get("apex"):
            classes.append("apex")
        model.forum_nodes[key] = _node(
            "f", key, forum.get("name") or key, positions["forum"][key], classes, type="forum",
            kind=forum.get("kind"), level=forum.get("level"),
            areas=sorted(forum.get("areas") or []), members=len(members), marks=marks)
    _add_representation(model, doc)
    for key in model.order:
        up = model.forums[key]["reports_to"]
        if up in model.forums and up != key:
            model.children.setdefault(up, []).append(key)
    for key, person in people.items():
        marks = sorted(person_marks.get(key, ()))
        model.person_nodes[key] = _node(
            "p", key, person.get("name") or key, positions["person"][key], ["person", *marks],
            type="person", organisation=person.get("organisation"), marks=marks)
    for key, org in organisations.items():
        model.org_nodes[key] = _node(
            "o", key, org.get("name") or key, positions["organisation"][key],
            ["organisation", f"org-{org.get('kind')}"], type="organisation", kind=org.get("kind"))
    return model


def _add_representation(model: MapModel, doc: dict) -> None:
    """Who represents whom in each forum (on_behalf_of, own organisation left out) and whose
    population each forum serves (scope, on the forum's node as names)."""
    organisations = {o["key"]: o for o in doc.get("organisations") or []}
    people = {p["key"]: p for p in doc.get("people") or []}
    model.org_names = {key: org.get("name") or key for key, org in organisations.items()}
    for forum in doc.get("forums") or []:
        for member in forum.get("members") or []:
            own = (people.get(member["person"]) or {}).get("organisation")
            orgs = [o for o in member.get("on_behalf_of") or [] if o != own and o in organisations]
            if orgs:
                model.represented.setdefault(forum["key"], {})[member["person"]] = orgs
        node = model.forum_nodes.get(forum["key"])
        if node is not None and forum.get("scope"):
            node["data"]["scope"] = [model.org_names.get(o, o) for o in forum["scope"]]


def _ancestor_chains(organisations: dict[str, dict]) -> dict[str, tuple[str, ...]]:
    """Each organisation with the organisations above it."""
    chains = {}
    for key in organisations:
        chain, current = [], key
        while current is not None and current in organisations and current not in chain:
            chain.append(current)
            current = organisations[current].get("parent")
        chains[key] = tuple(chain)
    return chains
