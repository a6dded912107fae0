"""Models of the plan app, one module per concept: plan (plan, targets, tasks), reporting (periods,
agency reports, progress, indicator values, evidence), notices (in-app notices, sent reminders),
register (exemplary models)."""

from piiplan.web.plan.models.documents import IssuingOrganisation, PeriodSnapshot, ReportSection
from piiplan.web.plan.models.notices import MailPreference, Notice, NoticeRead, ReminderSent
from piiplan.web.plan.models.plan import (
    ALL_COMMUNES_LABEL,
    OVERDUE,
    STATUS_LABELS,
    Goal,
    IndicatorTarget,
    Mark,
    Plan,
    Recurrence,
    Task,
    TaskStatus,
    computed_status,
    next_due,
    today,
)
from piiplan.web.plan.models.register import ExemplaryModel, ModelCategory, ModelStatus
from piiplan.web.plan.models.reporting import (
    AgencyReport,
    Evidence,
    IndicatorValue,
    PeriodKind,
    ReportingPeriod,
    ReportStatus,
    TaskProgress,
)

__all__ = [
    "ALL_COMMUNES_LABEL", "OVERDUE", "STATUS_LABELS", "AgencyReport", "Evidence", "ExemplaryModel", "Goal",
    "IndicatorTarget", "IndicatorValue", "IssuingOrganisation", "PeriodSnapshot", "ReportSection", "Mark", "ModelCategory", "ModelStatus", "Notice", "NoticeRead", "PeriodKind", "Plan",
    "Recurrence", "ReminderSent", "ReportStatus", "ReportingPeriod", "Task", "TaskProgress", "TaskStatus",
    "computed_status", "next_due", "today",
]
