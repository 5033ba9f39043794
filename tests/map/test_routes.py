"""The map's pages: who may open them, their data, filters and htmx fragments."""

from __future__ import annotations

import pytest

GET_ROUTES = [
    "/karta", "/karta/data.json", "/karta/forum/lsg", "/karta/person/{person}",
    "/karta/fynd?id=parallel_structure:rlg-nv%2Brsg-nv", "/karta/text", "/karta/export.graphml",
    "/karta/export.gexf", "/karta/vad-om", "/karta/ogonblicksbilder",
    "/karta/ogonblicksbilder/jamfor", "/analys/tackning", "/analys/tackning/asele/rehab",
    "/analys/nyckelpersoner", "/analys/rapport",
]
ROLES = ["admin", "leadership", "commission_lead", "forum_member", "viewer"]


@pytest.fixture
def person_key(db, demo):
    """A person who sits in LSG."""
    from sqlalchemy import select

    from portal.models import Forum, ForumMembership, Person

    return db.session.scalar(select(Person.key).join(ForumMembership).join(Forum)
                             .where(Forum.key == "lsg").order_by(Person.key))


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_map_page(client, signed_in, person_key, role):
    """Map, matrix, report, snapshots and exports answer 200 for every signed-in role."""
    signed_in(role)
    for route in GET_ROUTES:
        url = route.format(person=person_key)
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("route", GET_ROUTES)
def test_signed_out_is_sent_to_sign_in(client, db, demo, route):
    """Signed out, a page redirects to sign-in and an htmx request answers 401."""
    url = route.format(person="x")
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 401


def test_map_data_is_the_demo_with_fixed_positions(client, signed_in, demo):
    """The data has every forum once, reporting lines as edges, and the same positions twice."""
    signed_in("leadership")
    data = client.get("/karta/data.json").get_json()
    forums = [n for n in data["nodes"] if n["data"]["type"] == "forum"]
    assert len(forums) == data["forum_count"] == 29
    assert {"group": "edges", "data": {"id": "f:lsam-umea>f:lsg", "source": "f:lsam-umea",
                                       "target": "f:lsg"}, "classes": "reports"} in data["edges"]
    assert client.get("/karta/data.json").get_json()["nodes"] == data["nodes"]
    marks = {n["data"]["key"]: n["data"]["marks"] for n in forums}
    assert marks["rlg-nv"] == ["parallel"] and marks["ag-kompetensplan"] == ["orphan"]


def test_map_data_filters(client, signed_in, demo):
    """Area, level and organisation narrow the forums; people and organisations come on demand."""
    signed_in("leadership")
    rehab = client.get("/karta/data.json?area=rehab&people=1").get_json()
    keys = {n["data"]["key"] for n in rehab["nodes"] if n["data"]["type"] == "forum"}
    assert keys == {"rsg-nv", "ks-styrgrupp", "lpo-rehab", "systemledning-dorotea", "lsg"}
    people = [n for n in rehab["nodes"] if n["data"]["type"] == "person"]
    assert people and all(e["data"]["target"].removeprefix("f:") in keys
                          for e in rehab["edges"] if "member" in e["classes"])
    local = client.get("/karta/data.json?level=local&organisations=1").get_json()
    assert all(n["data"]["level"] == "local" for n in local["nodes"]
               if n["data"]["type"] == "forum")
    assert any(n["data"]["type"] == "organisation" for n in local["nodes"])
    dorotea = client.get("/karta/data.json?organisation=dorotea").get_json()
    assert {n["data"]["key"] for n in dorotea["nodes"]} >= {"lsam-sodra-lappland"}
    assert "lpo-rehab" not in {n["data"]["key"] for n in dorotea["nodes"]}
    nonsense = client.get("/karta/data.json?area=nope&level=high").get_json()
    assert nonsense["forum_count"] == 29


def test_focus_adds_the_finding_with_its_shared_members(client, signed_in, demo):
    """Focusing a parallel pair draws both forums and their shared members, even if filtered."""
    signed_in("leadership")
    data = client.get("/karta/data.json?area=rehab&focus=parallel_structure:rlg-nv%2Brsg-nv")
    data = data.get_json()
    assert data["focus"]["forums"] == ["rlg-nv", "rsg-nv"]
    assert len(data["focus"]["shared"]) == 6
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert {"f:rlg-nv", "f:rsg-nv"} <= ids
    assert {f"p:{p}" for p in data["focus"]["shared"]} <= ids


def test_map_page_and_its_fragment(client, signed_in, demo):
    """The page has the map and the findings; htmx gets only the findings for a filter."""
    signed_in("leadership")
    page = client.get("/karta").get_data(as_text=True)
    assert 'id="map-canvas"' in page and 'data-finding="parallel_structure:rlg-nv+rsg-nv"' in page
    assert "cytoscape.min.js" in page and "<script>" not in page and "style=" not in page
    fragment = client.get("/karta?kind=working_group", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "map-findings-title" in text
    assert "parallel_structure:rlg-nv+rsg-nv" not in text
    focused = client.get("/karta?focus=parallel_structure:rlg-nv%2Brsg-nv").get_data(
        as_text=True)
    assert 'class="shared-members"' in focused


def test_detail_panels_as_fragments_and_pages(client, signed_in, demo, person_key):
    """A forum's panel names its mandate, members and findings; without htmx it is a page."""
    signed_in("leadership")
    panel = client.get("/karta/forum/rsg-nv", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert "<html" not in panel and 'data-panel="forum"' in panel
    assert "parallel_structure:rlg-nv+rsg-nv" in panel
    full = client.get("/karta/forum/rsg-nv").get_data(as_text=True)
    assert "<h1 class=\"panel-title\">" in full
    person = client.get(f"/karta/person/{person_key}", headers={"HX-Request": "true"})
    assert 'data-panel="person"' in person.get_data(as_text=True)
    assert client.get("/karta/fynd?id=nothing:here").status_code == 404
    assert client.get("/karta/forum/nope").status_code == 404


def test_text_view_pages_and_filters(client, signed_in, demo):
    """The text view lists forums with reporting lines and members, filtered like the map."""
    signed_in("viewer")
    page = client.get("/karta/text").get_data(as_text=True)
    assert page.count('<tr id="forum-') == 29
    assert 'href="/forum/lsg"' in page
    rehab = client.get("/karta/text?area=rehab", headers={"HX-Request": "true"})
    assert rehab.get_data(as_text=True).count('<tr id="forum-') == 5


def test_coverage_pages(client, signed_in, demo):
    """The matrix marks gaps in words and links cells to the forums behind them."""
    signed_in("leadership")
    page = client.get("/analys/tackning").get_data(as_text=True)
    assert 'href="/analys/tackning/asele/rehab"' in page
    assert "cell-gap" in page  # the hospital-care row: informative, no principal there
    only = client.get("/analys/tackning?gaps=1", headers={"HX-Request": "true"})
    assert "<html" not in only.get_data(as_text=True)
    assert "/organisationer/umea" not in only.get_data(as_text=True)
    cell = client.get("/analys/tackning/asele/rehab").get_data(as_text=True)
    assert 'id="inside"' in cell and 'href="/forum/lsg"' in cell.split('id="inside"')[1]
    assert 'href="/forum/lpo-rehab"' in cell
    assert client.get("/analys/tackning/nope/rehab").status_code == 404


def test_brokers_and_report(client, signed_in, demo):
    """Brokers list people and forums by betweenness; the report has the matrix and findings."""
    signed_in("leadership")
    brokers = client.get("/analys/nyckelpersoner").get_data(as_text=True)
    assert brokers.count("/personer/") >= 10 and "<details>" in brokers
    report = client.get("/analys/rapport").get_data(as_text=True)
    assert 'class="coverage"' in report and "data-print" in report
    assert 'id="r-findings"' in report
