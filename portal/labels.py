"""Human words for the stored enum values, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

LABELS = {
    "organisation_kind": {
        "region": _l("Region"),
        "region_unit": _l("Region unit"),
        "municipality": _l("Municipality"),
        "private_provider": _l("Private provider"),
        "user_organisation": _l("User organisation"),
        "union": _l("Union"),
        "national": _l("National body"),
        "other": _l("Other"),
    },
    "forum_kind": {
        "collaboration": _l("Collaboration"),
        "knowledge_management": _l("Knowledge management"),
        "local_forum": _l("Local forum"),
        "management": _l("Management"),
        "political": _l("Political"),
        "consultation": _l("Consultation"),
        "working_group": _l("Working group"),
    },
    "forum_level": {
        "national": _l("National"),
        "county": _l("County"),
        "regional": _l("Regional"),
        "local": _l("Local"),
    },
    "member_role": {
        "chair": _l("Chair"),
        "member": _l("Member"),
        "secretary": _l("Secretary"),
        "coordinator": _l("Coordinator"),
        "adjunct": _l("Adjunct"),
    },
    "commission_status": {
        "planned": _l("Planned"),
        "active": _l("Active"),
        "delivered": _l("Delivered"),
        "closed": _lp("commission status", "Closed"),
    },
    "meeting_status": {
        "planned": _lp("meeting status", "Planned"),
        "held": _lp("meeting status", "Held"),
        "cancelled": _lp("meeting status", "Cancelled"),
    },
    "attendance": {
        "present": _l("Present"),
        "apologies": _l("Sent apologies"),
        "absent": _l("Absent"),
    },
    "action_status": {
        "planned": _l("Planned"),
        "in_progress": _l("In progress"),
        "done": _l("Done"),
        "blocked": _l("Blocked"),
        "cancelled": _l("Cancelled"),
    },
    "status_light": {
        "on_track": _l("On track"),
        "at_risk": _l("At risk"),
        "off_track": _l("Off track"),
    },
    "risk_status": {
        "open": _l("Open"),
        "mitigated": _l("Mitigated"),
        "closed": _lp("risk status", "Closed"),
    },
    "risk_level": {
        "low": _l("Low"),
        "medium": _l("Medium"),
        "high": _l("High"),
    },
    "document_kind": {
        "directive": _l("Directive"),
        "plan": _l("Plan"),
        "report": _l("Report"),
        "definition": _l("Shared definition"),
        "agreement": _l("Agreement"),
        "other": _lp("document kind", "Other"),
    },
    "yes_no": {
        True: _l("Yes"),
        False: _l("No"),
    },
    "role": {
        "admin": _l("Administrator"),
        "leadership": _l("Leadership"),
        "commission_lead": _l("Commission lead"),
        "forum_member": _l("Forum member"),
        "viewer": _l("Reader"),
    },
}


def label(group: str, value: str | bool | None) -> str:
    """Translate a stored value or true/false; unknown values are shown as they are."""
    if value is None:
        return ""
    return str(LABELS.get(group, {}).get(value, value))
