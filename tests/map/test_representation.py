"""Representation on the map: whom a member represents (on_behalf_of) and whose population a
forum serves (scope), in the drawing, its panels, the text map and the organisation page."""

from __future__ import annotations

import html

from portal.map.graph import Filters, build_model
from tests.map.helpers import forum, small_map


def _represented_map() -> dict:
    """Anna (of the region) also represents Norrby and Söderby in A; B serves Norrby."""
    doc = small_map()
    a = next(f for f in doc["forums"] if f["key"] == "a")
    for member in a["members"]:
        if member["person"] == "p1":
            member["on_behalf_of"] = ["norr", "soder", "reg-hsf"]  # her own: no difference
    doc["forums"].append(forum("served", members=["p2"], scope=["norr"], name="Norrby lokalt"))
    return doc


def test_the_model_draws_who_represents_whom_and_names_the_scope():
    """Anna's line into A is drawn apart and names Norrby and Söderby (not her own unit); with
    organisations, a dotted line joins each represented organisation to A; the forum that
    serves Norrby carries its name; filtering on Söderby keeps A."""
    model = build_model(_represented_map(), [])
    drawn = model.elements(Filters(people=True, organisations=True))
    line = next(e for e in drawn["edges"] if e["data"]["id"] == "p:p1>f:a")
    assert line["classes"] == "member represents"
    assert line["data"]["represents"] == ["Norrby kommun", "Söderby kommun"]
    plain = next(e for e in drawn["edges"] if e["data"]["id"] == "p:p1>f:top")
    assert plain["classes"] == "member" and "represents" not in plain["data"]
    behalf = {e["data"]["id"]: e["data"]["via"] for e in drawn["edges"]
              if e["classes"] == "on-behalf"}
    assert behalf == {"o:soder>f:a": ["p1"]} or behalf == {"o:norr>f:a": ["p1"],
                                                           "o:soder>f:a": ["p1"]}
    assert "o:reg-hsf>f:a" not in behalf
    served = model.forum_nodes["served"]["data"]
    assert served["scope"] == ["Norrby kommun"]
    assert "a" in model.select(Filters(organisation="soder"))
    assert "a" not in build_model(small_map(), []).select(Filters(organisation="soder"))


def test_the_forum_panel_names_the_scope_and_whom_members_represent(client, signed_in, demo):
    """LSG's preparatory group: Jimmy Öström (Skellefteå) also represents Malå and Norsjö."""
    signed_in("viewer")
    panel = html.unescape(client.get("/karta/forum/lsg-beredning",
                                     headers={"HX-Request": "true"}).get_data(as_text=True))
    seat = panel[panel.index('data-person="jimmy-ostrom"'):].split("</li>")[0]
    assert "företräder även" in seat
    assert ('href="/organisationer/mala">Malå kommun</a>, '
            '<a href="/organisationer/norsjo">Norsjö kommun</a>') in seat
    local = html.unescape(client.get("/karta/forum/lsam-skelleftea").get_data(as_text=True))
    scope = local[local.index("Tjänar befolkningen i"):].split("</p>")[0]
    assert ">Malå kommun</a>, <a" in scope and ">Skellefteå kommun</a>" in scope


def test_the_person_panel_names_whom_they_represent(client, signed_in, demo):
    signed_in("viewer")
    panel = html.unescape(client.get("/karta/person/jimmy-ostrom").get_data(as_text=True))
    seat = panel[panel.index('href="/forum/lsg-beredning"'):].split("</li>")[0]
    assert "företräder även" in seat and ">Norsjö kommun</a>" in seat


def test_the_map_data_marks_the_representing_member(client, signed_in, demo):
    """The drawn map's member line of a representative names the organisations."""
    signed_in("viewer")
    data = client.get("/karta/data.json?people=1&organisations=1").get_json()
    line = next(e for e in data["edges"] if e["data"]["id"] == "p:jimmy-ostrom>f:lsg-beredning")
    assert line["classes"] == "member represents"
    assert line["data"]["represents"] == ["Malå kommun", "Norsjö kommun"]
    behalf = {e["data"]["id"] for e in data["edges"] if e["classes"] == "on-behalf"}
    assert "o:norsjo>f:lsg-beredning" in behalf and "o:mala>f:lsg-beredning" in behalf
    nodes = {n["data"]["key"]: n["data"] for n in data["nodes"]}
    assert nodes["lsam-skelleftea"]["scope"] == ["Malå kommun", "Norsjö kommun",
                                                 "Skellefteå kommun"]
    norsjo = client.get("/karta/data.json?organisation=norsjo").get_json()
    assert "lsg-beredning" in {n["data"]["key"] for n in norsjo["nodes"]}


def test_the_text_map_says_the_same(client, signed_in, demo):
    """The map's text alternative names the scope under the forum and whom members represent."""
    signed_in("viewer")
    page = html.unescape(client.get("/karta/text?kind=&level=&page=1").get_data(as_text=True))
    row = page[page.index('id="forum-lsg-beredning"'):].split("</tr>")[0]
    assert "Jimmy Öström</a>, medlem (företräder även Malå kommun, Norsjö kommun)</li>" in row
    local = page[page.index('id="forum-lsam-skelleftea"'):].split("</tr>")[0]
    assert "Tjänar befolkningen i: Malå kommun, Norsjö kommun, Skellefteå kommun" in local


def test_the_organisation_page_says_who_represents_it_and_whom_else(client, signed_in, demo):
    """Norsjö: represented in LSG's preparatory group by Jimmy Öström of Skellefteå, who also
    represents Malå."""
    signed_in("viewer")
    page = html.unescape(client.get("/organisationer/norsjo").get_data(as_text=True))
    part = page[page.index('class="represented-in"'):].split("</ul>")[0]
    item = next(i for i in part.split("<li>") if 'href="/forum/lsg-beredning"' in i)
    assert ('I <a href="/forum/lsg-beredning">Beredningsgrupp LSG</a> av '
            '<a href="/personer/jimmy-ostrom">Jimmy Öström</a> (Skellefteå kommun), '
            'som även företräder <a href="/organisationer/mala">Malå kommun</a>') in item
