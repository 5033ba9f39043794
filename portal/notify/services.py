"""Sending what is due: `run(now)` is safe to call every few minutes.

Each notice is first claimed by inserting its row in `notification_sent` (unique per person,
kind and subject), then mailed, then committed; a mail that fails rolls its claim back, to be
tried at the next run, and a second run (or a concurrent one) finds the claim and sends
nothing. Notices for the weekly digest wait in the same table (`sent_at` empty) until Monday
morning in Europe/Stockholm.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import mail
from portal.audit.services import record
from portal.dates import STOCKHOLM
from portal.extensions import db
from portal.links import external_url
from portal.models import NotificationPreference, NotificationSent, User
from portal.models.base import utcnow
from portal.notify import kinds as _builtin  # noqa: F401 - registers the portal's own kinds
from portal.notify.registry import KINDS, MODES, Kind, Notice, kinds

DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = time(7, 0)  # Europe/Stockholm
DIGEST_KIND = "digest"


@dataclass
class Report:
    """What one run did."""

    instant: int = 0
    queued: int = 0
    digests: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def preferences(user: User) -> dict[str, str]:
    """The person's choice for every kind (the kind's default where none was made)."""
    chosen = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.mode)
        .where(NotificationPreference.user_id == user.id)).tuples().all())
    return {k.name: chosen.get(k.name, k.default) for k in kinds()}


def save_preferences(user: User, choices: dict[str, str], _retry: bool = False) -> None:
    """Store the person's choices (unknown kinds and modes are refused)."""
    for name, mode in choices.items():
        if name not in KINDS or mode not in MODES:
            raise ValueError(f"{name}={mode}")
    before = preferences(user)
    rows = {row.kind: row for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for name, mode in choices.items():
        if name in rows:
            rows[name].mode = mode
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=name, mode=mode))
    after = {**before, **choices}
    if after != before:
        record(user, "update", "notification_preferences", str(user.id), before=before,
               after=after)
    try:
        db.session.commit()
    except IntegrityError:  # the same first choice saved twice at once: the other one won
        db.session.rollback()
        if not _retry:
            save_preferences(user, choices, _retry=True)


def _all_preferences() -> dict[tuple[int, str], str]:
    return {(u, k): m for u, k, m in db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind,
               NotificationPreference.mode))}


def _already(kind: str) -> set[tuple[int, str]]:
    return set(db.session.execute(
        select(NotificationSent.user_id, NotificationSent.subject)
        .where(NotificationSent.kind == kind)).tuples().all())


def run(now: datetime | None = None) -> Report:
    """Send the notices due now and, on Monday morning, the weekly digests."""
    now = now or utcnow()
    report = Report()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.is_enabled.is_(True)))}
    chosen = _all_preferences()
    for kind in kinds():
        done = _already(kind.name)
        for notice in kind.collect(now):
            user = users.get(notice.user_id)
            if user is None or (notice.user_id, notice.subject) in done:
                continue
            done.add((notice.user_id, notice.subject))
            mode = chosen.get((user.id, kind.name), kind.default)
            if mode == "off":
                continue
            _deliver(kind, notice, user, mode, now, report)
    if _digest_due(now):
        _send_digests(now, users, report)
    return report


def _claim(user: User, kind: str, subject: str, sent_at: datetime | None,
           notice: Notice | None = None) -> bool:
    """Insert the row that says this was sent (or queued); False when it already was."""
    data = {"params": notice.params, "url": notice.url} if notice is not None else None
    try:
        with db.session.begin_nested():
            db.session.add(NotificationSent(user_id=user.id, kind=kind, subject=subject[:255],
                                            created_at=utcnow(), sent_at=sent_at, data=data))
    except IntegrityError:
        return False
    return True


def _deliver(kind: Kind, notice: Notice, user: User, mode: str, now: datetime,
             report: Report) -> None:
    if mode == "digest":
        if _claim(user, kind.name, notice.subject, None, notice):
            report.queued += 1
        db.session.commit()
        return
    if not _claim(user, kind.name, notice.subject, utcnow(), notice):
        db.session.rollback()
        return
    if not _sent(_notice_mail(kind, notice, user), report):
        return
    db.session.commit()
    report.instant += 1


def _sent(message, report: Report) -> bool:
    """Send one mail; when it fails, the claim made for it is rolled back and counted."""
    try:
        mail.send([message])
    except mail.MailError as exc:
        db.session.rollback()
        report.failed += 1
        report.errors.append(str(exc))
        return False
    return True


def _notice_mail(kind: Kind, notice: Notice, user: User):
    with force_locale(_locale(user)):
        line = kind.describe(notice)
    return mail.compose(user.email, "notice", _locale(user), line=line, url=notice.url,
                        settings=external_url("accounts.notifications"))


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def _digest_due(now: datetime) -> bool:
    """Monday from 07:00 in Stockholm (what waits goes out at the first run after that)."""
    local = now.astimezone(STOCKHOLM)
    return local.weekday() == DIGEST_WEEKDAY and local.time() >= DIGEST_TIME


def _week(now: datetime) -> str:
    year, week, _day = now.astimezone(STOCKHOLM).isocalendar()
    return f"{year}-W{week:02d}"


def _send_digests(now: datetime, users: dict[int, User], report: Report) -> None:
    """One digest per person with waiting notices, once a week."""
    week = _week(now)
    waiting = defaultdict(list)
    for row in db.session.scalars(
        select(NotificationSent).where(NotificationSent.sent_at.is_(None))
        .order_by(NotificationSent.id)
    ):
        waiting[row.user_id].append(row)
    for user_id, rows in waiting.items():
        user = users.get(user_id)
        if user is None:
            continue
        if not _claim(user, DIGEST_KIND, week, utcnow()):
            db.session.rollback()
            continue
        if not _sent(_digest_mail(user, rows, now), report):
            continue
        for row in rows:
            row.sent_at = utcnow()
        db.session.commit()
        report.digests += 1


def _digest_mail(user: User, rows: list[NotificationSent], now: datetime):
    """The digest's sections, one per kind, each line from the kind's own description."""
    lines: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    locale = _locale(user)
    with force_locale(locale):
        for row in rows:
            kind = KINDS.get(row.kind)
            if kind is None:  # a kind no longer registered: nothing to say about it
                continue
            data = row.data or {}
            notice = Notice(user.id, row.subject, data.get("params") or {}, data.get("url"))
            lines[kind.name].append((kind.describe(notice), notice.url))
        sections = [(str(k.label), lines[k.name]) for k in kinds() if lines.get(k.name)]
    return mail.compose(user.email, "digest", locale, sections=sections,
                        week=_week(now), settings=external_url("accounts.notifications"),
                        portal=external_url("dashboard.index"))
