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
from portal.models.decision import Decision, ProposedAction
from portal.models.directory import Area, Organisation, Person
from portal.models.document import Document
from portal.models.followup import Risk, StatusReport
from portal.models.forum import Forum, ForumMembership
from portal.models.indicator import Indicator, IndicatorValue
from portal.models.meeting import AgendaItem, Attendance, Meeting, MeetingSeries, MinutesApprover
from portal.models.search import SearchEntry
from portal.models.security import SecurityEvent, SigninCounter
from portal.models.setting import Setting
from portal.models.snapshot import StructureSnapshot

__all__ = [
    "AccountToken",
    "NotificationPreference",
    "NotificationSent",
    "Action",
    "AgendaItem",
    "Attendance",
    "AnalysisResult",
    "Area",
    "AuditEntry",
    "Commission",
    "Decision",
    "Document",
    "Forum",
    "ForumMembership",
    "Indicator",
    "IndicatorValue",
    "Meeting",
    "MeetingSeries",
    "MinutesApprover",
    "Milestone",
    "Organisation",
    "Person",
    "ProposedAction",
    "Recommendation",
    "Risk",
    "SearchEntry",
    "SecurityEvent",
    "Setting",
    "SigninCounter",
    "StatusReport",
    "StructureSnapshot",
    "User",
    "UserSession",
]
