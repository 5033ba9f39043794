"""Filtering and sorting actions: plain data, no app needed."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from portal.commissions.filters import ActionFilter, filter_actions, owner_choices, parse_filter

TODAY = date(2025, 10, 15)


def _action(key, status="planned", progress=0, due=None, person=None, forum=None, areas=()):
    return SimpleNamespace(
        key=key, title=key.title(), status=status, progress=progress, due_on=due,
        owner_person=SimpleNamespace(key=person, name=person.title()) if person else None,
        owner_forum=SimpleNamespace(key=forum, name=forum.upper()) if forum else None,
        areas=[SimpleNamespace(key=a) for a in areas],
        is_open=status in ("planned", "in_progress", "blocked"))


ACTIONS = [
    _action("alpha", "in_progress", 60, date(2025, 9, 30), person="anna", areas=["kontinuitet"]),
    _action("beta", "blocked", 20, date(2025, 9, 30), forum="ks"),
    _action("gamma", "done", 100, date(2025, 3, 31), person="emma", forum="lsg"),
    _action("delta", "planned", 0, None, areas=["kontinuitet", "rehab"]),
    _action("epsilon", "planned", 0, date(2026, 6, 30)),
]


def _keys(wanted: ActionFilter) -> list[str]:
    return [a.key for a in filter_actions(ACTIONS, wanted, TODAY)]


def test_default_order_is_soonest_deadline_first_undated_last():
    """Without a choice, the soonest deadline comes first and actions without one last."""
    assert _keys(ActionFilter()) == ["gamma", "alpha", "beta", "epsilon", "delta"]


@pytest.mark.parametrize(("args", "expected"), [
    ({"status": "planned"}, ["epsilon", "delta"]),
    ({"owner": "p:anna"}, ["alpha"]),
    ({"owner": "f:lsg"}, ["gamma"]),
    ({"owner": "none"}, ["epsilon", "delta"]),
    ({"area": "kontinuitet"}, ["alpha", "delta"]),
    ({"overdue": "1"}, ["alpha", "beta"]),
    ({"overdue": "1", "owner": "f:ks"}, ["beta"]),
    ({"sort": "-due"}, ["epsilon", "alpha", "beta", "gamma", "delta"]),
    ({"sort": "-progress"}, ["gamma", "alpha", "beta", "delta", "epsilon"]),
    ({"sort": "title"}, ["alpha", "beta", "delta", "epsilon", "gamma"]),
    ({"sort": "status"}, ["delta", "epsilon", "alpha", "gamma", "beta"]),
    ({"sort": "owner"}, ["alpha", "gamma", "beta", "delta", "epsilon"]),
])
def test_filters_and_sorts(args, expected):
    """Each filter narrows the list; each sort orders it, title breaking ties."""
    assert _keys(parse_filter(args)) == expected


@pytest.mark.parametrize("args", [
    {"status": "finished"}, {"owner": "robert'); DROP TABLE"}, {"sort": "nonsense"},
    {"overdue": "maybe"},
])
def test_nonsense_is_ignored(args):
    """Values that make no sense fall back to showing everything in the default order."""
    assert parse_filter(args) == ActionFilter()


def test_links_keep_the_filter_and_toggle_the_sort():
    """Sort links keep the filter; the same column again sorts the other way."""
    wanted = parse_filter({"status": "blocked", "overdue": "on", "sort": "progress"})
    assert wanted.args(sort=wanted.sorted_by("progress")) == {
        "status": "blocked", "overdue": "1", "sort": "-progress"}
    assert wanted.aria_sort("progress") == "ascending" and wanted.aria_sort("due") is None
    assert ActionFilter().args() == {} and not ActionFilter().is_filtered


def test_owner_choices_list_people_and_forums_by_name():
    """The owner filter offers each person and forum that owns an action."""
    assert owner_choices(ACTIONS) == [
        ("p:anna", "Anna"), ("p:emma", "Emma"), ("f:ks", "KS"), ("f:lsg", "LSG")]
