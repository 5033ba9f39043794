"""Plain-language messages for findings, in Swedish (default) and English.

A message names entities by their name (keys stay in the finding's fields), says what was found
and why it matters for close care, and what to do about it. Names are user text and are put in
as they are; whoever shows a message as HTML must escape it.
"""

LANGUAGES = ("sv", "en")

TEMPLATES = {
    "sv": {
        "parallel_structure": (
            "{first} och {second} har till stor del samma medlemmar: {shared} av {union} "
            "{people} sitter i båda ({percent}), och båda arbetar med {areas}. Det kan vara "
            "parallella strukturer – se över om forumen kan slås ihop eller få en tydligare "
            "ansvarsfördelning."
        ),
        "uncovered_area": (
            "Inget forum har mandat för området {area}. Ingen driver eller följer upp arbetet "
            "där – ge ett forum ansvar för området."
        ),
        "missing_principal": (
            "{organisation} är huvudman men är inte med i något av forumen för {area} "
            "({count} {forums}). Nära vård kräver att huvudmännen planerar tillsammans – se "
            "till att {organisation} blir representerad."
        ),
        "orphan_forum:no_reporting_line": (
            "{forum} rapporterar inte till något forum och är inte ett toppforum. Det som "
            "beslutas där riskerar att inte nå dem som styr – bestäm vart forumet ska rapportera."
        ),
        "orphan_forum:chain_ends": (
            "{forum} rapporterar vidare, men kedjan slutar vid {end}, som inte är ett "
            "toppforum. Det som beslutas riskerar att inte nå dem som styr – komplettera "
            "rapporteringsvägen."
        ),
        "orphan_forum:runs_into_cycle": (
            "Rapporteringskedjan från {forum} hamnar i en cirkel vid {end} och når aldrig ett "
            "toppforum. Det som beslutas riskerar att inte nå dem som styr."
        ),
        "reporting_cycle:one": (
            "{chain} rapporterar till sig självt. Ingen tar emot forumets rapporter – bestäm "
            "vilket forum det ska rapportera till."
        ),
        "reporting_cycle": (
            "Forumen rapporterar till varandra i en cirkel: {chain}. Ingen av dem rapporterar "
            "vidare, så det är oklart var besluten till sist fattas – bryt cirkeln."
        ),
        "reporting_cycle:apex": (
            "Forumen rapporterar till varandra i en cirkel: {chain}. Även toppforumet "
            "rapporterar in i cirkeln, så det är oklart vem som styr vem – bryt cirkeln."
        ),
        "single_point_of_failure": (
            "{person}{of} är den enda länken mellan {parts} delar av samverkansnätet. Om "
            "personen slutar eller är borta tappar forumen kontakten med varandra – se till att "
            "fler delar på kontakten."
        ),
        "overloaded_person": (
            "{person}{of} sitter i {count} forum. Det är tungt för en person och gör "
            "samverkan sårbar – se över om uppdragen kan delas med fler."
        ),
        "unowned_action": (
            "Åtgärden {action} saknar ägare: varken en person eller ett forum ansvarar för den. "
            "Utan ägare blir den lätt aldrig gjord – utse en ägare."
        ),
        "owner_without_mandate:owner_forum": (
            "Åtgärden {action} ägs av {owner}, som inte har mandat för {areas}. Ägaren behöver "
            "mandat i området för att kunna driva åtgärden – flytta ägarskapet eller utvidga "
            "forumets mandat."
        ),
        "owner_without_mandate:owner_person": (
            "Åtgärden {action} ägs av {owner}, som inte sitter i något forum med mandat för "
            "{areas}. Ägaren behöver mandat i området för att kunna driva åtgärden – flytta "
            "ägarskapet till någon med mandat."
        ),
        "stalled_recommendation": (
            "Rekommendationen {text} har ingen åtgärd. En rekommendation utan åtgärd blir inte "
            "genomförd – besluta om åtgärder och ägare."
        ),
        "overdue_milestone": (
            "Milstolpen {milestone} i {commission} skulle vara nådd {due} och är {days} "
            "försenad. Följ upp med uppdragsledaren."
        ),
        "overdue_action": (
            "Åtgärden {action} skulle vara klar {due} men har status {status} ({days} "
            "försenad). Följ upp med ägaren."
        ),
    },
    "en": {
        "parallel_structure": (
            "{first} and {second} largely have the same members: {shared} of {union} {people} "
            "sit in both ({percent}), and both work on {areas}. They may be parallel structures "
            "– consider merging them or clarifying who is responsible for what."
        ),
        "uncovered_area": (
            "No forum has a mandate for the area {area}. Nobody drives or follows up the work "
            "there – give a forum responsibility for it."
        ),
        "missing_principal": (
            "{organisation} is a principal but takes part in none of the forums for {area} "
            "({count} {forums}). Close care needs the principals to plan together – make sure "
            "{organisation} is represented."
        ),
        "orphan_forum:no_reporting_line": (
            "{forum} does not report to any forum and is not a top body. What it decides may "
            "never reach those who steer – decide where it reports."
        ),
        "orphan_forum:chain_ends": (
            "{forum} reports onward, but the chain stops at {end}, which is not a top body. What "
            "it decides may never reach those who steer – complete the reporting line."
        ),
        "orphan_forum:runs_into_cycle": (
            "The reporting chain from {forum} runs into a cycle at {end} and never reaches a "
            "top body. What it decides may never reach those who steer."
        ),
        "reporting_cycle:one": (
            "{chain} reports to itself. Nobody receives its reports – decide which forum it "
            "reports to."
        ),
        "reporting_cycle": (
            "These forums report to each other in a circle: {chain}. None of them reports "
            "further, so it is unclear where decisions are finally taken – break the circle."
        ),
        "reporting_cycle:apex": (
            "These forums report to each other in a circle: {chain}. Even the top body reports "
            "into the circle, so it is unclear who steers whom – break the circle."
        ),
        "single_point_of_failure": (
            "{person}{of} is the only link between {parts} parts of the collaboration network. "
            "If this person leaves or is away, the forums lose contact with each other – make "
            "sure more people share the link."
        ),
        "overloaded_person": (
            "{person}{of} sits in {count} forums. That is a heavy load for one person and makes "
            "the collaboration fragile – consider sharing the assignments."
        ),
        "unowned_action": (
            "The action {action} has no owner: neither a person nor a forum is responsible for "
            "it. Without an owner it easily never gets done – appoint one."
        ),
        "owner_without_mandate:owner_forum": (
            "The action {action} is owned by {owner}, which has no mandate for {areas}. The "
            "owner needs a mandate in the area to drive the action – move the ownership or "
            "widen the forum's mandate."
        ),
        "owner_without_mandate:owner_person": (
            "The action {action} is owned by {owner}, who sits in no forum with a mandate for "
            "{areas}. The owner needs a mandate in the area to drive the action – move the "
            "ownership to someone with a mandate."
        ),
        "stalled_recommendation": (
            "The recommendation {text} has no action. Without actions it will not be carried "
            "out – decide on actions and owners."
        ),
        "overdue_milestone": (
            "The milestone {milestone} of {commission} was due on {due} and is {days} late. "
            "Follow up with the commission lead."
        ),
        "overdue_action": (
            "The action {action} was due on {due} but its status is {status} ({days} late). "
            "Follow up with its owner."
        ),
    },
}

WORDS = {
    "sv": {
        "and": "och",
        "or": "eller",
        "quote": "”{}”",
        "percent": "{} %",
        "day": "1 dag",
        "days": "{} dagar",
        "forum": "forum",
        "forums": "forum",
        "person": "person",
        "people": "personer",
        "planned": "planerad",
        "in_progress": "pågående",
        "blocked": "blockerad",
    },
    "en": {
        "and": "and",
        "or": "or",
        "quote": "“{}”",
        "percent": "{}%",
        "day": "1 day",
        "days": "{} days",
        "forum": "forum",
        "forums": "forums",
        "person": "person",
        "people": "people",
        "planned": "planned",
        "in_progress": "in progress",
        "blocked": "blocked",
    },
}

TEXT_LIMIT = 80


def render(finding, index, lang):
    """Return the message of one finding in ``lang`` (``sv`` or ``en``)."""
    words = _WORDS_BY_LANGUAGE[lang]
    template, values = _VALUES[finding["kind"]](finding, index, words)
    return TEMPLATES[lang][template].format(**values)


class Words:
    """Small language helpers: quoting names, joining lists, counting days."""

    def __init__(self, lang):
        self.words = WORDS[lang]

    def __getitem__(self, word):
        return self.words.get(word, word)

    def quote(self, name):
        """Put a name in quotation marks of the language."""
        return self.words["quote"].format(name)

    def join(self, items, conjunction="and"):
        """Join items as "a, b and c" (or with "or")."""
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.words[conjunction]} {items[-1]}"

    def days(self, count):
        """Return "1 day" / "N days" in the language."""
        return self.words["day"] if count == 1 else self.words["days"].format(count)


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
    percent = words["percent"].format(round(finding["overlap"] * 100))
    union = len(index.members[first] | index.members[second])
    return "parallel_structure", {
        "first": words.quote(index.forum_name(first)),
        "second": words.quote(index.forum_name(second)),
        "shared": len(finding["shared_members"]),
        "union": union,
        "people": words["person" if union == 1 else "people"],
        "percent": percent,
        "areas": _areas(index, finding["shared_areas"], words),
    }


def _uncovered(finding, index, words):
    return "uncovered_area", {"area": words.quote(index.area_name(finding["area"]))}


def _missing(finding, index, words):
    count = finding["covering_forum_count"]
    return "missing_principal", {
        "organisation": index.organisation_name(finding["organisation"]),
        "area": words.quote(index.area_name(finding["area"])),
        "count": count,
        "forums": words["forum" if count == 1 else "forums"],
    }


def _orphan(finding, index, words):
    end = finding["chain_end"]
    return f"orphan_forum:{finding['reason']}", {
        "forum": words.quote(index.forum_name(finding["forum"])),
        "end": words.quote(index.forum_name(end)) if end else "",
    }


def _cycle(finding, index, words):
    names = [words.quote(index.forum_name(key)) for key in finding["order"]]
    if len(names) == 1:
        return "reporting_cycle:one", {"chain": names[0]}
    template = "reporting_cycle:apex" if finding["includes_apex"] else "reporting_cycle"
    return template, {"chain": " → ".join([*names, names[0]])}


def _single_point(finding, index, words):
    person = finding["person"]
    return "single_point_of_failure", {
        "person": index.person_name(person),
        "of": _of(index, person),
        "parts": finding["parts"],
    }


def _overloaded(finding, index, words):
    person = finding["person"]
    return "overloaded_person", {
        "person": index.person_name(person),
        "of": _of(index, person),
        "count": finding["forum_count"],
    }


def _unowned(finding, index, words):
    return "unowned_action", {"action": words.quote(_action(index, finding["action"]))}


def _without_mandate(finding, index, words):
    if "owner_forum" in finding:
        kind, owner = "owner_forum", index.forum_name(finding["owner_forum"])
    else:
        kind, owner = "owner_person", index.person_name(finding["owner_person"])
    return f"owner_without_mandate:{kind}", {
        "action": words.quote(_action(index, finding["action"])),
        "owner": words.quote(owner),
        "areas": _areas(index, finding["areas"], words, "or"),
    }


def _stalled(finding, index, words):
    recommendation = index.recommendation_by_key(finding["recommendation"])
    text = (recommendation or {}).get("text") or finding["recommendation"]
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1].rstrip() + "…"
    return "stalled_recommendation", {"text": words.quote(text)}


def _overdue_milestone(finding, index, words):
    milestone = index.milestone_by_key(finding["milestone"]) or {}
    label = milestone.get("title") or finding["milestone"]
    if milestone.get("code"):
        label = f"{milestone['code']} {label}"
    return "overdue_milestone", {
        "milestone": words.quote(label),
        "commission": words.quote(index.commission_title(finding["commission"])),
        "due": finding["due"],
        "days": words.days(finding["days_overdue"]),
    }


def _overdue_action(finding, index, words):
    return "overdue_action", {
        "action": words.quote(_action(index, finding["action"])),
        "due": finding["due"],
        "status": words[finding["status"]],
        "days": words.days(finding["days_overdue"]),
    }


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
}
_WORDS_BY_LANGUAGE = {lang: Words(lang) for lang in LANGUAGES}
