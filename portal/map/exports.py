"""The map as GraphML and GEXF, for Gephi and similar tools (pure: a document in, bytes out).

One directed graph: forums, people and organisations are nodes named ``forum:key``,
``person:key`` and ``organisation:key``; edges are typed by their ``relation`` attribute:
``reports_to`` (forum to the forum it reports to), ``member_of`` (person to forum, with the
role), ``works_at`` (person to organisation) and ``part_of`` (organisation to its parent).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from portal.map.layout import layout

if TYPE_CHECKING:
    import networkx as nx


def _clean(attributes: dict) -> dict:
    """Attributes as GraphML/GEXF can hold them: no None, lists as text."""
    clean = {}
    for name, value in attributes.items():
        if value is None:
            continue
        clean[name] = ", ".join(value) if isinstance(value, list | tuple) else value
    return clean


def map_graph(doc: dict) -> nx.DiGraph:
    """The map as a networkx graph, with the portal's positions as ``x`` and ``y``."""
    import networkx as nx  # only the exports need it; kept out of the app's start-up

    positions = layout(doc)
    graph = nx.DiGraph(name="samverkan")
    for org in doc.get("organisations") or []:
        x, y = map(float, positions["organisation"][org["key"]])
        graph.add_node(f"organisation:{org['key']}", **_clean({
            "type": "organisation", "key": org["key"], "label": org["name"],
            "kind": org.get("kind"), "principal": bool(org.get("principal")), "x": x, "y": y}))
    for person in doc.get("people") or []:
        x, y = map(float, positions["person"][person["key"]])
        graph.add_node(f"person:{person['key']}", **_clean({
            "type": "person", "key": person["key"], "label": person["name"],
            "title": person.get("title"), "organisation": person.get("organisation"),
            "x": x, "y": y}))
    for forum in doc.get("forums") or []:
        x, y = map(float, positions["forum"][forum["key"]])
        graph.add_node(f"forum:{forum['key']}", **_clean({
            "type": "forum", "key": forum["key"], "label": forum["name"],
            "kind": forum.get("kind"), "level": forum.get("level"),
            "apex": bool(forum.get("apex")), "areas": forum.get("areas") or [],
            "members": len(forum.get("members") or []), "x": x, "y": y}))
    for org in doc.get("organisations") or []:
        if org.get("parent"):
            graph.add_edge(f"organisation:{org['key']}", f"organisation:{org['parent']}",
                           relation="part_of")
    for person in doc.get("people") or []:
        if person.get("organisation"):
            graph.add_edge(f"person:{person['key']}", f"organisation:{person['organisation']}",
                           relation="works_at")
    for forum in doc.get("forums") or []:
        if forum.get("reports_to"):
            graph.add_edge(f"forum:{forum['key']}", f"forum:{forum['reports_to']}",
                           relation="reports_to")
        for member in forum.get("members") or []:
            graph.add_edge(f"person:{member['person']}", f"forum:{forum['key']}",
                           relation="member_of", role=member.get("role") or "member")
    return graph


def graphml(doc: dict) -> bytes:
    """The map as GraphML (UTF-8)."""
    buffer = io.BytesIO()
    import networkx as nx

    nx.write_graphml(map_graph(doc), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf(doc: dict) -> bytes:
    """The map as GEXF 1.2 (UTF-8)."""
    buffer = io.BytesIO()
    import networkx as nx

    nx.write_gexf(map_graph(doc), buffer, encoding="utf-8")
    return buffer.getvalue()
