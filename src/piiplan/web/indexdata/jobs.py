"""Background jobs for the realistic target plans (django-tasks, database backend; ``manage.py db_worker``).

A page never waits for the search: :func:`start_target_job` stores an :class:`AnalysisJob` with the
parameters and enqueues :func:`run_target_job`; the page polls :func:`status` (a JSON endpoint) for the
progress bar and shows the stored result when the job is done. The same parameters on the same data reuse
the finished job (the computation is deterministic: seeded draws), so a leader's page and the staff page
show the same plan without computing it twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from piiplan.web.indexdata import service
from piiplan.web.indexdata.plan_models import AnalysisJob, EditionSetting, JobStatus, LeverSetting

log = logging.getLogger(__name__)

# Vietnamese names of the audit actions written by the realistic-plan pages (for the audit log page).
ACTION_LABELS = {
    "optimise": "Tính phương án đạt hạng mục tiêu", "lever_update": "Sửa mô hình đòn bẩy của chỉ số",
    "calendar_update": "Sửa lịch thu thập số liệu", "target_from_plan": "Đặt chỉ tiêu theo phương án",
}

# The parameters a target job takes (form/API names) and their defaults.
DEFAULTS = {"percentile": 100.0, "bounds": {}, "fixed": [], "margin": 0.0, "competitors": "trend",
            "probability": 0.8, "draws": 1000, "seed": 2030, "time_budget": 10.0, "steps": 10}


def lever_overrides() -> dict[str, dict]:
    return {s.code: {"kind": s.kind, "lever_class": s.lever_class, "data_lag": int(s.data_lag),
                     "scale_min": s.scale_min, "scale_max": s.scale_max, "basis": s.basis}
            for s in LeverSetting.objects.all()}


def current_levers(framework=None):
    """The lever table in force: the shipped one with the staff's edits."""
    from piiplan.analysis.levers import lever_table

    framework = framework if framework is not None else service.current_framework()
    table = lever_table(framework)
    for code, values in lever_overrides().items():
        if code in table.index:
            for col, val in values.items():
                table.at[code, col] = val
    return table


def current_calendar():
    """The data calendar in force: the shipped one with the staff's edition dates."""
    from piiplan.analysis.levers import Calendar

    cal = Calendar.load()
    for e in EditionSetting.objects.all():
        cal.closes[e.edition] = e.collection_closes
        if e.source:
            cal.sources[e.edition] = e.source
    return cal


def job_key(unit: str, target_rank: int, params: dict, year: int | None = None) -> str:
    ds = service.current_dataset()
    blob = json.dumps({"data": service.dataset_fingerprint(ds), "fw": service.current_framework().fingerprint,
                       "recipe": service.current_recipe().fingerprint, "unit": unit, "k": int(target_rank),
                       "year": year, "params": params, "levers": lever_overrides(),
                       "calendar": [(e.edition, str(e.collection_closes)) for e in EditionSetting.objects.all()],
                       "day": str(date.today())}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:40]


def start_target_job(user, unit: str, target_rank: int, params: dict | None = None, *,
                     year: int | None = None, reuse: bool = True) -> AnalysisJob:
    """Store and enqueue a target-plan job, or return the finished/running job with the same key."""
    params = {**DEFAULTS, **(params or {})}
    key = job_key(unit, target_rank, params, year)
    if reuse:
        found = (AnalysisJob.objects.filter(key=key).exclude(status=JobStatus.FAILED)
                 .order_by("-created_at").first())
        if found is not None:
            return found
    job = AnalysisJob.objects.create(kind="target", owner=user if getattr(user, "is_authenticated", False) else None,
                                     key=key, params={"unit": unit, "target_rank": int(target_rank), "year": year,
                                                      **params})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(pk: int) -> None:
    result = run_target_job.enqueue(pk)
    AnalysisJob.objects.filter(pk=pk, task_id="").update(task_id=str(result.id)[:64])


def compute(job: AnalysisJob) -> dict:
    """Run the plan of ``job`` and return its JSON result (also used by tests and the API)."""
    from piiplan.analysis.realistic import PlanOptions, plan_target

    p = job.params
    opts = PlanOptions(percentile=float(p["percentile"]), bounds={str(k): float(v) for k, v in p["bounds"].items()},
                       fixed=tuple(p["fixed"]), margin=float(p["margin"]), competitors=p["competitors"],
                       probability=float(p["probability"]), draws=int(p["draws"]), seed=int(p["seed"]),
                       time_budget=float(p["time_budget"]), steps=int(p["steps"]))
    framework, dataset = service.current_framework(), service.current_dataset()
    last = {"t": 0.0}

    def progress(share: float, text: str) -> None:
        now = timezone.now().timestamp()
        if share >= 1.0 or now - last["t"] > 0.3:
            last["t"] = now
            AnalysisJob.objects.filter(pk=job.pk).update(progress=min(1.0, share), stage=text[:200])

    out = plan_target(framework, dataset, p["unit"], int(p["target_rank"]), year=p.get("year"),
                      recipe=service.current_recipe(), options=opts, levers=current_levers(framework),
                      calendar=current_calendar(), progress=progress)
    result = out.to_dict()
    result["synthetic"] = service.is_synthetic()
    result["synthetic_label"] = service.synthetic_label() if service.is_synthetic() else ""
    return result


@task()
def run_target_job(pk: int) -> None:
    """The worker's entry point: compute, store the result or a Vietnamese error, never raise."""
    job = AnalysisJob.objects.filter(pk=pk).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    AnalysisJob.objects.filter(pk=pk).update(status=JobStatus.RUNNING, stage="Bắt đầu")
    try:
        result = compute(job)
    except (ValueError, KeyError, LookupError) as exc:
        AnalysisJob.objects.filter(pk=pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                                 finished_at=timezone.now())
        return
    except Exception:  # a bug must not leave the page polling forever
        log.exception("target job %s failed", pk)
        AnalysisJob.objects.filter(pk=pk).update(
            status=JobStatus.FAILED, error="Lỗi khi tính phương án; đã ghi nhật ký hệ thống.", finished_at=timezone.now())
        return
    AnalysisJob.objects.filter(pk=pk).update(status=JobStatus.DONE, progress=1.0, stage="Xong", result=result,
                                             finished_at=timezone.now())


def status(job: AnalysisJob) -> dict:
    """What the polling page needs."""
    waiting = job.status == JobStatus.QUEUED and (timezone.now() - job.created_at).total_seconds() > 15
    return {"id": job.pk, "status": job.status, "status_label": job.get_status_display(),
            "progress": round(100 * job.progress), "stage": job.stage, "error": job.error,
            "done": job.status in (JobStatus.DONE, JobStatus.FAILED),
            "waiting_for_worker": waiting}
