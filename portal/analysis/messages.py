"""Plain-language messages for findings, through the portal's gettext catalogues.

A message names entities by their name (keys stay in the finding's fields), says what was found
and why it matters for close care, and what to do about it. The texts are English message ids
; their Swedish (and English) translations live in the same catalogues
as the rest of the portal (``portal/translations/<lang>/LC_MESSAGES/messages.po``), so the web
and ``flask analyze`` share one translation system. This module reads them with the standard
library's ``gettext`` and imports no Flask. Names are user text and are put in as they are;
whoever shows a message as HTML must escape it.
"""

import gettext
import io
import threading
from pathlib import Path

LANGUAGES = ("sv", "en")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
TEXT_LIMIT = 80
NAMED_FORUMS = 3  # a single point of failure names this many cut-off forums, then "and N more"


def N_(text):  # noqa: N802 - the conventional marker for pybabel extract
    """Mark a message id for extraction; translated later, in the language asked for."""
    return text


def ngettext(singular, plural):
    """Mark a message id with a plural for extraction (pybabel's ``ngettext`` keyword)."""
    return singular, plural


_lock = threading.Lock()
_catalogues = {}


def catalogue(lang):
    """Return the translations of ``lang`` (cached): the compiled ``.mo`` when it is current,
    else the ``.po`` read directly (a checkout where ``pybabel compile`` has not run yet)."""
    found = _catalogues.get(lang)
    if found is None:
        with _lock:
            found = _catalogues.get(lang)
            if found is None:
                found = _catalogues[lang] = _load(lang)
    return found


def _load(lang):
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.exists():
        return _compile(po)
    return gettext.NullTranslations()


def _compile(po):
    """Compile a ``.po`` file in memory with Babel (a checkout without compiled catalogues)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        read = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, read)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Words:
    """One language's translations, with small helpers: quoting, joining lists, counting days."""

    def __init__(self, lang):
        self.translations = catalogue(lang)

    def __call__(self, message, **values):
        """Translate a message id and fill in its values."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def plural(self, singular, plural, num, **values):
        """Translate a message with a count ``num``."""
        return self.translations.ngettext(singular, plural, num) % {
            "num": num, **values
        }

    def quote(self, name):
        """Put a name in quotation marks of the language."""
        return self(N_("“%(name)s”"), name=name)

    def join(self, items, conjunction="and"):
        """Join items as "a, b and c" (or with "or")."""
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        head, last = ", ".join(items[:-1]), items[-1]
        if conjunction == "or":
            return self(N_("%(items)s or %(last)s"), items=head, last=last)
        return self(N_("%(items)s and %(last)s"), items=head, last=last)

    def days(self, count):
        """Return "1 day" / "N days" in the language."""
        return self.plural(*PLURALS["days"], count)

    def percent(self, value):
        """A whole percentage in the language's style (``62 %`` or ``62%``)."""
        return self(N_("%(value)s%%"), value=value)


STATUSES = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "blocked": N_("blocked"),
}

TEMPLATES = {
    "parallel_structure": N_(
        "%(first)s and %(second)s largely have the same members: %(share)s sit in both "
        "(%(percent)s), and both work on %(areas)s. They may be parallel structures – consider "
        "merging them or clarifying who is responsible for what."
    ),
    "uncovered_area": N_(
        "No forum has a mandate for the area %(area)s. Nobody drives or follows up the work "
        "there – give a forum responsibility for it."
    ),
    "missing_principal": N_(
        "%(organisation)s is a principal but takes part in none of the forums for %(area)s "
        "(%(forums)s). Close care needs the principals to plan together – make sure "
        "%(organisation)s is represented."
    ),
    "orphan_forum:no_reporting_line": N_(
        "%(forum)s does not report to any forum and is not a top body. What it decides may "
        "never reach those who steer – decide where it reports."
    ),
    "orphan_forum:chain_ends": N_(
        "%(forum)s reports onward, but the chain stops at %(end)s, which is not a top body. "
        "What it decides may never reach those who steer – complete the reporting line."
    ),
    "orphan_forum:runs_into_cycle": N_(
        "The reporting chain from %(forum)s runs into a cycle at %(end)s and never reaches a "
        "top body. What it decides may never reach those who steer."
    ),
    "reporting_cycle:one": N_(
        "%(chain)s reports to itself. Nobody receives its reports – decide which forum it "
        "reports to."
    ),
    "reporting_cycle": N_(
        "These forums report to each other in a circle: %(chain)s. None of them reports "
        "further, so it is unclear where decisions are finally taken – break the circle."
    ),
    "reporting_cycle:apex": N_(
        "These forums report to each other in a circle: %(chain)s. Even the top body reports "
        "into the circle, so it is unclear who steers whom – break the circle."
    ),
    "overloaded_person": N_(
        "%(person)s%(of)s sits in %(count)s forums. That is a heavy load for one person and "
        "makes the collaboration fragile – consider sharing the assignments."
    ),
    "unowned_action": N_(
        "The action %(action)s has no owner: neither a person nor a forum is responsible for "
        "it. Without an owner it easily never gets done – appoint one."
    ),
    "owner_without_mandate:owner_forum": N_(
        "The action %(action)s is owned by %(owner)s, which has no mandate for %(areas)s. The "
        "owner needs a mandate in the area to drive the action – move the ownership or widen "
        "the forum's mandate."
    ),
    "owner_without_mandate:owner_person": N_(
        "The action %(action)s is owned by %(owner)s, who sits in no forum with a mandate for "
        "%(areas)s. The owner needs a mandate in the area to drive the action – move the "
        "ownership to someone with a mandate."
    ),
    "stalled_recommendation": N_(
        "The recommendation %(text)s has no action. Without actions it will not be carried "
        "out – decide on actions and owners."
    ),
    "overdue_milestone": N_(
        "The milestone %(milestone)s of %(commission)s was due on %(due)s and is %(days)s "
        "late. Follow up with the commission lead."
    ),
    "overdue_action": N_(
        "The action %(action)s was due on %(due)s but its status is %(status)s (%(days)s "
        "late). Follow up with its owner."
    ),
    "absent_principal": N_(
        "%(organisation)s is represented in %(forum)s but was present at only %(attended)s of "
        "its %(meetings)s meetings in the past year. What the forum decides is then decided "
        "without the principal – agree on who attends, or appoint a substitute."
    ),
    "inactive_member": N_(
        "%(person)s%(of)s has not been present at any of the last %(count)s meetings of "
        "%(forum)s (last present %(last)s). Ask whether the seat should go to someone who can "
        "take part."
    ),
    "inactive_member:never": N_(
        "%(person)s%(of)s has not been present at any of the last %(count)s meetings of "
        "%(forum)s, nor at any earlier one with recorded attendance. Ask whether the seat "
        "should go to someone who can take part."
    ),
    "dormant_forum": N_(
        "%(forum)s has not met since %(last)s (%(days)s ago). A forum that does not meet cannot "
        "carry its mandate – decide whether it resumes its meetings or is closed."
    ),
    "unapproved_minutes": N_(
        "The minutes of the meeting of %(forum)s on %(date)s are not approved, %(days)s after "
        "the meeting. Until they are, the record of what was decided stays open – remind the "
        "approvers."
    ),
}
# Messages with a count: (singular, plural).
PLURALS = {
    "single_point_of_failure": ngettext(
        "%(person)s%(of)s is the only link between %(forums)s and the rest of the "
        "collaboration network. If this person leaves or is away, the forum loses contact with "
        "the others – make sure more people share the link.",
        "%(person)s%(of)s is the only link between %(forums)s and the rest of the "
        "collaboration network. If this person leaves or is away, these forums lose contact "
        "with the others – make sure more people share the link.",
    ),
    "share": ngettext("%(shared)s of %(num)s person", "%(shared)s of %(num)s people"),
    "forum_count": ngettext("%(num)s forum", "%(num)s forums"),
    "more_forums": ngettext("%(names)s (and %(num)s more forum)",
                            "%(names)s (and %(num)s more forums)"),
    "days": ngettext("%(num)s day", "%(num)s days"),
}


def render(finding, index, lang):
    """Return the message of one finding in ``lang`` (``sv`` or ``en``)."""
    words = _words(lang)
    return _VALUES[finding["kind"]](finding, index, words)


def _words(lang):
    found = _WORDS.get(lang)
    if found is None:
        found = _WORDS[lang] = Words(lang)
    return found


def _template(words, name, **values):
    return words(TEMPLATES[name], **values)


def _counted(words, name, num, **values):
    singular, plural = PLURALS[name]
    return words.plural(singular, plural, num, **values)


def _of(index, person):
    org = index.person_organisation(person)
    return f" ({index.organisation_name(org)})" if org else ""


def _areas(index, keys, words, conjunction="and"):
    return words.join((words.quote(index.area_name(k)) for k in keys), conjunction)


def _action(index, key):
    action = index.action_by_key(key)
    return action.get("title") if action and action.get("title") else key


def _parallel(finding, index, words):
    first, second = finding["forums"]
    union = len(index.members[first] | index.members[second])
    return _template(
        words, "parallel_structure",
        first=words.quote(index.forum_name(first)),
        second=words.quote(index.forum_name(second)),
        share=_counted(words, "share", union, shared=len(finding["shared_members"])),
        percent=words.percent(round(finding["overlap"] * 100)),
        areas=_areas(index, finding["shared_areas"], words),
    )


def _uncovered(finding, index, words):
    return _template(words, "uncovered_area", area=words.quote(index.area_name(finding["area"])))


def _missing(finding, index, words):
    return _template(
        words, "missing_principal",
        organisation=index.organisation_name(finding["organisation"]),
        area=words.quote(index.area_name(finding["area"])),
        forums=_counted(words, "forum_count", finding["covering_forum_count"]),
    )


def _orphan(finding, index, words):
    end = finding["chain_end"]
    return _template(
        words, f"orphan_forum:{finding['reason']}",
        forum=words.quote(index.forum_name(finding["forum"])),
        end=words.quote(index.forum_name(end)) if end else "",
    )


def _cycle(finding, index, words):
    names = [words.quote(index.forum_name(key)) for key in finding["order"]]
    if len(names) == 1:
        return _template(words, "reporting_cycle:one", chain=names[0])
    name = "reporting_cycle:apex" if finding["includes_apex"] else "reporting_cycle"
    return _template(words, name, chain=" → ".join([*names, names[0]]))


def _forum_list(index, keys, words):
    names = [words.quote(index.forum_name(key)) for key in keys]
    if len(names) <= NAMED_FORUMS + 1:
        return words.join(names)
    return _counted(words, "more_forums", len(names) - NAMED_FORUMS,
                    names=", ".join(names[:NAMED_FORUMS]))


def _single_point(finding, index, words):
    person = finding["person"]
    cut_off = finding["cut_off"]
    return _counted(
        words, "single_point_of_failure", len(cut_off),
        person=index.person_name(person), of=_of(index, person),
        forums=_forum_list(index, cut_off, words),
    )


def _overloaded(finding, index, words):
    person = finding["person"]
    return _template(
        words, "overloaded_person",
        person=index.person_name(person), of=_of(index, person), count=finding["forum_count"],
    )


def _unowned(finding, index, words):
    return _template(words, "unowned_action",
                     action=words.quote(_action(index, finding["action"])))


def _without_mandate(finding, index, words):
    if "owner_forum" in finding:
        kind, owner = "owner_forum", index.forum_name(finding["owner_forum"])
    else:
        kind, owner = "owner_person", index.person_name(finding["owner_person"])
    return _template(
        words, f"owner_without_mandate:{kind}",
        action=words.quote(_action(index, finding["action"])),
        owner=words.quote(owner),
        areas=_areas(index, finding["areas"], words, "or"),
    )


def _stalled(finding, index, words):
    recommendation = index.recommendation_by_key(finding["recommendation"])
    text = (recommendation or {}).get("text") or finding["recommendation"]
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1].rstrip() + "…"
    return _template(words, "stalled_recommendation", text=words.quote(text))


def _overdue_milestone(finding, index, words):
    milestone = index.milestone_by_key(finding["milestone"]) or {}
    label = milestone.get("title") or finding["milestone"]
    if milestone.get("code"):
        label = f"{milestone['code']} {label}"
    return _template(
        words, "overdue_milestone",
        milestone=words.quote(label),
        commission=words.quote(index.commission_title(finding["commission"])),
        due=finding["due"],
        days=words.days(finding["days_overdue"]),
    )


def _overdue_action(finding, index, words):
    return _template(
        words, "overdue_action",
        action=words.quote(_action(index, finding["action"])),
        due=finding["due"],
        status=words(STATUSES.get(finding["status"], finding["status"])),
        days=words.days(finding["days_overdue"]),
    )


def _absent_principal(finding, index, words):
    return _template(
        words, "absent_principal",
        organisation=index.organisation_name(finding["organisation"]),
        forum=words.quote(index.forum_name(finding["forum"])),
        attended=finding["attended"],
        meetings=finding["meetings"],
    )


def _inactive_member(finding, index, words):
    person = finding["person"]
    last = finding["last_present"]
    return _template(
        words, "inactive_member" if last else "inactive_member:never",
        person=index.person_name(person), of=_of(index, person),
        count=finding["last_meetings"], forum=words.quote(index.forum_name(finding["forum"])),
        last=last or "",
    )


def _dormant_forum(finding, index, words):
    return _template(
        words, "dormant_forum",
        forum=words.quote(index.forum_name(finding["forum"])),
        last=finding["last_held"],
        days=words.days(finding["days"]),
    )


def _unapproved_minutes(finding, index, words):
    return _template(
        words, "unapproved_minutes",
        forum=words.quote(index.forum_name(finding["forum"])),
        date=finding["date"],
        days=words.days(finding["days"]),
    )


_VALUES = {
    "parallel_structure": _parallel,
    "uncovered_area": _uncovered,
    "missing_principal": _missing,
    "orphan_forum": _orphan,
    "reporting_cycle": _cycle,
    "single_point_of_failure": _single_point,
    "overloaded_person": _overloaded,
    "unowned_action": _unowned,
    "owner_without_mandate": _without_mandate,
    "stalled_recommendation": _stalled,
    "overdue_milestone": _overdue_milestone,
    "overdue_action": _overdue_action,
    "absent_principal": _absent_principal,
    "inactive_member": _inactive_member,
    "dormant_forum": _dormant_forum,
    "unapproved_minutes": _unapproved_minutes,
}
_WORDS = {}
