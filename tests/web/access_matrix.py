"""The role × view matrix: the expected outcome of every URL name for every role.

Add one row per URL name when you add a view; ``test_access_matrix.py`` fails for any URL
name of the project missing here (or listed here but gone). Outcomes:

* ``OK`` (200), ``FORBIDDEN`` (403), ``HIDDEN`` (404: the object is outside the role's scope),
  ``NOT_ALLOWED`` (405, wrong method);
* ``LOGIN``: redirect to the login page (anonymous visitor on a members' page);
* ``REDIRECT``: any other redirect (a form that succeeded, an already signed-in visitor).

``kwargs(p)`` gets the personas (tests/conftest.py) and returns the URL arguments; ``data(p)``
gives the POST body. Each (URL, role) cell runs in its own rolled-back transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from tests.web import indexdata_fixtures as ix

OK, FORBIDDEN, HIDDEN, NOT_ALLOWED = 200, 403, 404, 405
LOGIN, REDIRECT = "login", "redirect"

ROLES = ("dost_admin", "dost_staff", "agency", "leader", "anonymous")


def outcomes(dost_admin, dost_staff, agency, leader, anonymous) -> dict[str, Any]:
    return {
        "dost_admin": dost_admin,
        "dost_staff": dost_staff,
        "agency": agency,
        "leader": leader,
        "anonymous": anonymous,
    }


# The usual shapes, named after the policies of accounts/access.py.
PUBLIC = outcomes(OK, OK, OK, OK, OK)
MEMBER = outcomes(OK, OK, OK, OK, LOGIN)
STAFF = outcomes(OK, OK, FORBIDDEN, FORBIDDEN, LOGIN)
STAFF_OR_LEADER = outcomes(OK, OK, FORBIDDEN, OK, LOGIN)
ADMIN = outcomes(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)
ADMIN_POST = outcomes(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)


# Plan rows (issue 6): an object of agency B seen by agency A is hidden (404), as if it did not exist.
OTHER_AGENCY_READ = outcomes(OK, OK, HIDDEN, OK, LOGIN)
OTHER_AGENCY_WRITE_STAFF_OK = outcomes(REDIRECT, REDIRECT, HIDDEN, FORBIDDEN, LOGIN)
AGENCY_ONLY_OTHER = outcomes(FORBIDDEN, FORBIDDEN, HIDDEN, FORBIDDEN, LOGIN)
STAFF_POST = outcomes(REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, LOGIN)


def _pdf_copy() -> str:
    from piiplan.web.ops.models import PdfCopy, JobStatus

    copy, _ = PdfCopy.objects.get_or_create(key="docx-matrix", defaults={
        "filename": "bao-cao.pdf", "policies": "staff,leader", "source_name": "bao-cao.docx",
        "status": JobStatus.DONE, "pdf": b"%PDF-1.4 matrix"})
    return copy.key


def _w(p):
    from tests.plan.world import make_world

    return make_world(p)


@dataclass(frozen=True)
class Row:
    expect: dict[str, Any]
    method: str = "get"
    kwargs: Callable[[Any], dict] | None = None
    data: Callable[[Any], dict] | None = field(default=None)


MATRIX: dict[str, Row] = {
    # pages
    "pages:home": Row(PUBLIC),
    "pages:ranking": Row(PUBLIC),
    "pages:profile": Row(PUBLIC),
    "pages:indicators": Row(PUBLIC),
    "pages:indicator": Row(PUBLIC, kwargs=lambda p: {"code": "1.2.1"}),
    "pages:uncertainty": Row(PUBLIC),
    "pages:profile_docx": Row(PUBLIC),
    # The PDF copy needs LibreOffice; without it every role gets the 503 page that says what to install.
    # PDF copies are made by the background worker: the request queues one and goes to the waiting page
    "pages:profile_pdf": Row(outcomes(*[REDIRECT] * 5)),
    "pages:results_workbook": Row(PUBLIC),
    # the explorer (issue 14)
    "pages:map": Row(PUBLIC),
    "pages:compare": Row(PUBLIC),
    "pages:trends": Row(PUBLIC),
    "pages:method": Row(PUBLIC),
    "pages:search": Row(PUBLIC),
    "pages:table_download": Row(PUBLIC, kwargs=lambda p: {"name": "so-sanh", "fmt": "xlsx"}),
    # accounts
    "accounts:login": Row(outcomes(REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK)),
    "accounts:logout": Row(outcomes(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), method="post"),
    "accounts:password_change": Row(MEMBER),
    "accounts:users": Row(ADMIN),
    "accounts:user_create": Row(ADMIN),
    "accounts:user_deactivate": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.leader.pk}),
    "accounts:user_activate": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.leader.pk}),
    "accounts:user_edit": Row(ADMIN, kwargs=lambda p: {"pk": p.agency.pk}),
    "accounts:user_unlock": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.agency.pk}),
    # The one-time link and the temporary password are shown once, on the page the POST returns.
    "accounts:user_reset_link": Row(ADMIN_POST | {"dost_admin": OK}, method="post", kwargs=lambda p: {"pk": p.leader.pk}),
    "accounts:user_temp_password": Row(ADMIN_POST | {"dost_admin": OK}, method="post",
                                       kwargs=lambda p: {"pk": p.leader.pk}),
    # Anyone may open a reset link; a bad or used one is a 400 with a Vietnamese message.
    "accounts:password_reset_confirm": Row(outcomes(400, 400, 400, 400, 400),
                                           kwargs=lambda p: {"uidb64": "MQ", "token": "sai-ma"}),
    "accounts:agencies": Row(ADMIN),
    "accounts:agency_create": Row(ADMIN),
    "accounts:agency_edit": Row(ADMIN, kwargs=lambda p: {"pk": p.agency_a.pk}),
    "accounts:agency_merge": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.agency_b.pk},
                                 data=lambda p: {"target": p.agency_a.pk, "version": 1, "confirm": "on"}),
    "accounts:agency_retire": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.agency_b.pk}),
    "accounts:agency_restore": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.agency_b.pk}),
    "accounts:users_csv": Row(ADMIN),
    "accounts:agencies_csv": Row(ADMIN),
    # audit
    "audit:log": Row(STAFF),
    # a PDF copy carries the policies of its page (here a report: staff and leaders); the file when it is ready
    "ops:pdf": Row(STAFF_OR_LEADER, kwargs=lambda p: {"key": _pdf_copy()}),
    "ops:pdf_file": Row(STAFF_OR_LEADER, kwargs=lambda p: {"key": _pdf_copy()}),
    "audit:log_csv": Row(STAFF),
    # plan (issue 6): objects from tests/plan/world.py; agency = agency A, "B" rows belong to agency B
    "plan:dashboard": Row(MEMBER),
    "plan:plan_detail": Row(MEMBER, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:plan_edit": Row(STAFF, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    # The targets editor is DoST staff's; read-only roles see targets on plan_detail (issue 13.8).
    "plan:targets": Row(STAFF, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:effect": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:appendix_export": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:agency_template": Row(MEMBER, kwargs=lambda p: {"pk": _w(p).plan.pk},
                                data=lambda p: {"co-quan": p.agency_b.pk}),
    "plan:ministry_form": Row(STAFF, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:appendix_import": Row(STAFF, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:tasks": Row(MEMBER, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:task_create": Row(STAFF, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:task_detail": Row(OTHER_AGENCY_READ, kwargs=lambda p: {"pk": _w(p).task_b.pk}),
    "plan:task_edit": Row(STAFF, kwargs=lambda p: {"pk": _w(p).task_b.pk}),
    "plan:task_status": Row(OTHER_AGENCY_WRITE_STAFF_OK, method="post", kwargs=lambda p: {"pk": _w(p).task_b.pk},
                            data=lambda p: {"status": "in_progress", "percent": 50, "version": _w(p).task_b.version}),
    "plan:periods": Row(MEMBER),
    "plan:period_create": Row(STAFF),
    "plan:period_detail": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:period_edit": Row(STAFF, kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:period_report": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:composer": Row(STAFF, kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:organisation": Row(ADMIN),
    "plan:period_report_pdf": Row(outcomes(REDIRECT, REDIRECT, FORBIDDEN, REDIRECT, LOGIN),
                                  kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:reminder_letter": Row(STAFF, kwargs=lambda p: {"pk": _w(p).period.pk, "agency": p.agency_a.pk}),
    "plan:report_open": Row(outcomes(FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, LOGIN), method="post",
                            kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:report_detail": Row(OTHER_AGENCY_READ, kwargs=lambda p: {"pk": _w(p).report_b.pk}),
    "plan:report_save": Row(AGENCY_ONLY_OTHER, method="post", kwargs=lambda p: {"pk": _w(p).report_b.pk}),
    "plan:report_template": Row(OTHER_AGENCY_READ, kwargs=lambda p: {"pk": _w(p).report_b.pk}),
    "plan:report_template_import": Row(AGENCY_ONLY_OTHER, method="post", kwargs=lambda p: {"pk": _w(p).report_b.pk}),
    "plan:report_submit": Row(AGENCY_ONLY_OTHER, method="post", kwargs=lambda p: {"pk": _w(p).report_b.pk}),
    "plan:report_review": Row(STAFF_POST, method="post", kwargs=lambda p: {"pk": _w(p).report_b.pk},
                              data=lambda p: {"decision": "accept", "version": _w(p).report_b.version,
                                              "confirm": "1"}),
    # report B is submitted, not accepted: staff may ask, the workflow refuses (409, the page with the reason typed)
    "plan:report_reopen": Row(outcomes(409, 409, FORBIDDEN, FORBIDDEN, LOGIN), method="post",
                              kwargs=lambda p: {"pk": _w(p).report_b.pk},
                              data=lambda p: {"reason": "Sai số liệu", "version": _w(p).report_b.version, "confirm": "1"}),
    "plan:period_reminders": Row(STAFF, kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:evidence_upload": Row(AGENCY_ONLY_OTHER, method="post", kwargs=lambda p: {"pk": _w(p).report_b.pk}),
    "plan:evidence_download": Row(OTHER_AGENCY_READ, kwargs=lambda p: {"pk": _w(p).evidence_b.pk}),
    "plan:evidence_delete": Row(AGENCY_ONLY_OTHER, method="post", kwargs=lambda p: {"pk": _w(p).evidence_b.pk}),
    "plan:notices": Row(MEMBER),
    # A notice of agency A: its focal point marks it read; DoST staff see only DoST notices (404).
    "plan:notice_read": Row(outcomes(HIDDEN, HIDDEN, REDIRECT, FORBIDDEN, LOGIN), method="post",
                            kwargs=lambda p: {"pk": _w(p).notice_a.pk}),
    "plan:my_work": Row(MEMBER),
    "plan:account": Row(MEMBER),
    "plan:models": Row(MEMBER),
    "plan:model_propose": Row(outcomes(FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, LOGIN)),
    "plan:model_detail": Row(OTHER_AGENCY_READ, kwargs=lambda p: {"pk": _w(p).model_b.pk}),
    "plan:model_review": Row(STAFF_POST, method="post", kwargs=lambda p: {"pk": _w(p).model_b.pk},
                             data=lambda p: {"decision": "publish", "version": _w(p).model_b.version, "confirm": "1"}),
    "plan:register": Row(PUBLIC),
    "plan:tasks_csv": Row(MEMBER, kwargs=lambda p: {"pk": _w(p).plan.pk}),
    "plan:periods_csv": Row(MEMBER),
    "plan:period_reports_csv": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": _w(p).period.pk}),
    "plan:models_csv": Row(MEMBER),
    # indexdata
    "indexdata:datasets": Row(STAFF_OR_LEADER),
    "indexdata:import_preview": Row(STAFF, kwargs=lambda p: {"pk": ix.batch(p).pk}),
    "indexdata:import_confirm": Row(STAFF_POST, method="post",
                                    kwargs=lambda p: {"pk": ix.batch(p).pk}),
    "indexdata:import_reject": Row(STAFF_POST, method="post",
                                   kwargs=lambda p: {"pk": ix.batch(p).pk}),
    "indexdata:dataset_activate": Row(STAFF_POST, method="post",
                                      kwargs=lambda p: {"pk": ix.dataset_version(p).pk}),
    "indexdata:dataset_publish": Row(STAFF_POST, method="post",
                                     kwargs=lambda p: {"pk": ix.dataset_version(p).pk},
                                     data=lambda p: {"confirm": "on", "acknowledge_synthetic": "on"}),
    "indexdata:framework_activate": Row(STAFF_POST, method="post",
                                        kwargs=lambda p: {"pk": ix.framework_version(p).pk}),
    "indexdata:export": Row(STAFF_OR_LEADER),
    "indexdata:scenarios": Row(STAFF_OR_LEADER),
    "indexdata:target": Row(STAFF),
    "indexdata:target_job": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": ix.target_job(p).pk}),
    "indexdata:job_status": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": ix.target_job(p).pk}),
    "indexdata:target_to_plan": Row(STAFF_POST, method="post", kwargs=lambda p: {"pk": ix.target_job(p).pk},
                                    data=lambda p: {"plan": _w(p).plan.pk}),
    "indexdata:gains": Row(STAFF_OR_LEADER),
    "indexdata:projection": Row(STAFF_OR_LEADER),
    "indexdata:levers": Row(STAFF_OR_LEADER),
    "indexdata:levers_csv": Row(STAFF_OR_LEADER),
    "indexdata:levers_import": Row(STAFF_POST, method="post"),
    "indexdata:scenario": Row(STAFF_OR_LEADER, kwargs=lambda p: {"pk": ix.scenario(p).pk}),
    "indexdata:scenario_delete": Row(STAFF_POST, method="post",
                                     kwargs=lambda p: {"pk": ix.scenario(p).pk}),
    "indexdata:scenario_restore": Row(STAFF_POST, method="post",
                                      kwargs=lambda p: {"pk": ix.scenario(p, deleted=True).pk}),
    "indexdata:api_rankings": Row(PUBLIC),
    "indexdata:api_unit": Row(PUBLIC, kwargs=lambda p: {"unit": "Lạng Sơn"}),
    "indexdata:api_indicators": Row(PUBLIC),
    "indexdata:api_indicator": Row(PUBLIC, kwargs=lambda p: {"code": "1.1.1"}),
    "indexdata:api_series": Row(PUBLIC),
    "indexdata:api_compare": Row(PUBLIC),
    "indexdata:api_openapi": Row(PUBLIC),
}
