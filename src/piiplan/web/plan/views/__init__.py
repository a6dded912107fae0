"""Views of the plan app, one module per concept; every view is wrapped in ``accounts.access.access``."""

from piiplan.web.plan.views.plan import (  # noqa: F401
    appendix_export, appendix_import, dashboard, effect, plan_detail, plan_edit, targets,
)
from piiplan.web.plan.views.tasks import task_create, task_detail, task_edit, task_status, tasks  # noqa: F401
from piiplan.web.plan.views.reports import (  # noqa: F401
    period_create, period_detail, period_edit, period_report, period_report_pdf, periods, reminder_letter,
)
from piiplan.web.plan.views.entry import (  # noqa: F401
    evidence_delete, evidence_download, evidence_upload, report_detail, report_open, report_save, report_submit,
)
from piiplan.web.plan.views.review import report_reopen, report_review  # noqa: F401
from piiplan.web.plan.views.inbox import account, my_work, notice_read, notices  # noqa: F401
from piiplan.web.plan.views.reminders import period_reminders  # noqa: F401
from piiplan.web.plan.views.register import (  # noqa: F401
    model_detail, model_propose, model_review, models, register,
)
from piiplan.web.plan.views.datasheets import (  # noqa: F401
    agency_template, ministry_form, report_template, report_template_import,
)
from piiplan.web.plan.views.documents import composer, organisation  # noqa: F401
