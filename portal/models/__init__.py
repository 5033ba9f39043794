"""The portal's data model, split by area; importing this registers every table."""

from portal.models.account import (
    AccountToken,
    NotificationPreference,
    NotificationSent,
    User,
    UserSession,
)
from portal.models.audit import AuditEntry
from portal.models.cache import AnalysisResult
from portal.models.commission import (
    Action,
    Commission,
    Milestone,
    Recommendation,
)
from portal.models.decision import Decision
from portal.models.directory import Area, Organisation, Person
from portal.models.followup import Risk, StatusReport
from portal.models.forum import Forum, ForumMembership
from portal.models.indicator import Indicator, IndicatorValue
from portal.models.setting import Setting
from portal.models.snapshot import StructureSnapshot

__all__ = [
    "AccountToken",
    "NotificationPreference",
    "NotificationSent",
    "Action",
    "AnalysisResult",
    "Area",
    "AuditEntry",
    "Commission",
    "Decision",
    "Forum",
    "ForumMembership",
    "Indicator",
    "IndicatorValue",
    "Milestone",
    "Organisation",
    "Person",
    "Recommendation",
    "Risk",
    "Setting",
    "StatusReport",
    "StructureSnapshot",
    "User",
    "UserSession",
]
