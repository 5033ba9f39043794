"""GraphML and GEXF exports of the map open in networkx (and so in Gephi)."""

from __future__ import annotations

import io

import networkx as nx

from portal.map.exports import gexf, graphml
from tests.map.helpers import small_map


def test_graphml_has_the_forums_people_and_reporting_lines():
    """read_graphml finds every forum and each reports_to as a typed edge."""
    graph = nx.read_graphml(io.BytesIO(graphml(small_map())))
    forums = {n for n, data in graph.nodes(data=True) if data["type"] == "forum"}
    assert forums == {"forum:top", "forum:a", "forum:b", "forum:lonely"}
    reporting = {(u, v) for u, v, data in graph.edges(data=True)
                 if data["relation"] == "reports_to"}
    assert reporting == {("forum:a", "forum:top"), ("forum:b", "forum:top")}
    assert graph.nodes["forum:b"]["areas"] == "rehab, kont"
    assert graph.nodes["forum:top"]["apex"] is True
    assert graph.edges["person:p2", "forum:a"]["role"] == "member"
    assert isinstance(graph.nodes["forum:a"]["x"], float)


def test_gexf_parses():
    """read_gexf opens the GEXF export with the same nodes and edges."""
    doc = small_map()
    graph = nx.read_gexf(io.BytesIO(gexf(doc)))
    assert graph.number_of_nodes() == len(doc["forums"]) + len(doc["people"]) + len(
        doc["organisations"])
    assert graph.number_of_edges() == nx.read_graphml(io.BytesIO(graphml(doc))).number_of_edges()


def test_export_routes_download_the_demo(client, db, demo, signed_in):
    """The export links answer files with the demo's forums and reporting lines."""
    signed_in("viewer")
    response = client.get("/karta/export.graphml")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    graph = nx.read_graphml(io.BytesIO(response.data))
    assert graph.nodes["forum:lsg"]["label"] == "Länssamverkansgruppen (LSG)"
    assert graph.has_edge("forum:lsam-umea", "forum:lsg")
    assert client.get("/karta/export.gexf").status_code == 200
    assert client.get("/karta/export.csv").status_code == 404
