"""The kinds of notification: a small registry that other areas add to.

A kind names itself, says how it is delivered unless the person chose otherwise
(`instant`: as it happens, `digest`: in the weekly digest), finds what is due at a moment
(`collect(now)` yields `Notice`s) and describes one notice in one line, in the language in
force when it is called. To add one (e.g. meetings: "agenda published" to the forum's
members, "minutes waiting for approval" to the approvers), call `register(Kind(...))` when the
area's module is imported; `flask notify` and the settings page pick it up:

    register(Kind("agenda_published", _l("A meeting's agenda is published"), "instant",
                  collect=agendas_since, describe=lambda n: _("Agenda: %(t)s", t=n.params["t"])))

A notice's `subject` is its identity: the same (person, kind, subject) is sent only once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MODES = ("off", "instant", "digest")


@dataclass(frozen=True)
class Notice:
    """Something one person should hear about."""

    user_id: int
    subject: str  # unique per person and kind, e.g. "action:a-12:2025-10-08:7"
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    url: str | None = field(default=None, hash=False, compare=False)


@dataclass(frozen=True)
class Kind:
    """One kind of notification."""

    name: str
    label: Any  # a lazy translated string: shown on the settings page
    default: str  # "instant" or "digest" (or "off")
    collect: Callable[[datetime], Iterable[Notice]]
    describe: Callable[[Notice], str]
    order: int = 100


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add (or replace) a kind of notification."""
    if kind.default not in MODES:
        raise ValueError(f"unknown default mode {kind.default!r} for {kind.name}")
    KINDS[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    """The registered kinds, in the order the settings page shows them."""
    return sorted(KINDS.values(), key=lambda k: (k.order, k.name))
