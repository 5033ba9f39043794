"""An indicator per organisation: latest value, change (points for %), provenance, sorting."""

from __future__ import annotations

import json
import re
from datetime import date

from portal.exchange.services import import_text
from portal.indicators.arithmetic import per_organisation

SHARE = {"format": "samverkan/1", "indicators": [{
    "key": "andel-test", "name": "Andel test", "unit": "%", "target": 30,
    "values": [
        {"date": "2025-01-31", "value": 12},
        {"date": "2026-01-31", "value": 15},
        {"date": "2025-01-31", "value": 10, "organisation": "umea"},
        {"date": "2026-01-31", "value": 14.5, "organisation": "umea"},
        {"date": "2025-01-31", "value": 20, "organisation": "dorotea"},
        {"date": "2026-01-31", "value": 18, "organisation": "dorotea"},
        {"date": "2026-01-31", "value": 9, "organisation": "asele"},
    ]}]}


def test_rows_give_latest_change_and_direction():
    rows = per_organisation([("a", "A", date(2025, 1, 1), 10), ("a", "A", date(2026, 1, 1), 12),
                             ("b", "B", date(2026, 1, 1), 5)], higher_is_better=False,
                            sort="change", descending=True)
    assert [r.key for r in rows] == ["a", "b"]  # no change sorts last
    assert rows[0].change == 2 and rows[0].improved is False
    assert rows[1].change is None and rows[1].previous is None


def test_the_page_shows_the_region_and_each_organisation_in_points(client, db, demo, signed_in):
    """The region's line stays the region's; the table has points for % and says so."""
    import_text(json.dumps(SHARE), None)
    signed_in("viewer")
    page = client.get("/indikatorer/andel-test?sort=change&order=desc").get_data(as_text=True)
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', page, re.S)[1]
    assert "12" in desc and "14,5" not in desc  # the chart is the region's values only
    table = page.split('id="per-org"')[1]
    assert table.index("Umeå") < table.index("Dorotea") < table.index("Åsele")
    assert "+4,5 procentenheter" in table and "-2 procentenheter" in table
    assert "Förändring" in table
    assert 'aria-sort="descending"' in table
    assert "mål utan källa" in page  # a target of 30 % with no source


def test_named_gp_share_shows_its_source_and_no_target(client, db, demo, signed_in):
    signed_in("viewer")
    page = client.get("/indikatorer/fast-lakarkontakt-andel").get_data(as_text=True)
    assert "listningssystemet" in page and "Inget mål är angivet." in page
    assert "mål utan källa" not in page


def test_continuity_index_per_local_health_care_area(client, db, demo, signed_in):
    signed_in("viewer")
    page = client.get("/indikatorer/ko05l?sort=latest&order=desc").get_data(as_text=True)
    table = page.split('id="per-org"')[1]
    assert table.index("Södra Lappland") < table.index("Skellefteå") < table.index("Umeå")
    assert "PrimärvårdsKvalitet" in page
