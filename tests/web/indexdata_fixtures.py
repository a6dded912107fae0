"""Small object factories for the indexdata tests and the access-matrix rows."""

from __future__ import annotations

from django.core.files.base import ContentFile

GOOD_CSV = "unit,indicator,year,value\nLạng Sơn,1.1.1,2025,99\n"


def framework_version(p):
    from piiplan.demo import demo_framework
    from piiplan.web.indexdata.versions import find_or_create_framework

    return find_or_create_framework(demo_framework(), user=p.admin, activate=False, source_name="pii-2025.csv")


def dataset_version(p, *, active=False, published=False):
    from piiplan.demo import load_demo
    from piiplan.web.indexdata.versions import create_dataset

    return create_dataset(load_demo(), framework_version(p), user=p.admin, source_name="demo.csv",
                          synthetic=True, published=published, activate=active)


def batch(p, content: str = GOOD_CSV, name: str = "so-lieu.csv", status: str = "draft"):
    from piiplan.web.indexdata.models import ImportBatch

    item = ImportBatch(original_name=name, size=len(content.encode()), kind="dataset", status=status,
                       created_by=p.staff, summary={"kind": "dataset"})
    item.file.save(name, ContentFile(content.encode("utf-8")), save=False)
    item.save()
    return item


def scenario(p, *, deleted=False):
    from piiplan.web.indexdata.models import Scenario

    item = Scenario.objects.create(name="Thử", owner=p.staff, year=2025, unit="Lạng Sơn",
                                   edits={"Lạng Sơn": {"1.1.1": 50.0}})
    if deleted:
        item.soft_delete(user=p.staff)
    return item


def target_job(p):
    """A finished realistic-plan job of the world's plan province (one plan row)."""
    from piiplan.web.indexdata.plan_models import AnalysisJob, JobStatus
    from tests.plan.world import make_world

    unit = make_world(p).plan.province
    result = {"unit": unit, "year": 2025, "target_rank": 27, "feasible": True, "rank_before": 29.0,
              "score_before": 33.1, "rank_after": 27.0, "score_after": 34.5, "effort": 1.0, "margin": 0.5,
              "probability": 0.81, "holds": True, "draws": 1000, "confirmed": True, "optimal": True, "gap": 0.0,
              "message": "Đạt hạng 27.", "plan": [
                  {"code": "1.1.1", "name": "PAR INDEX", "unit_of_measure": "điểm", "kind": "score",
                   "lever_class": "external", "from": 84.0, "to": 85.0, "change": 1.0, "change_pct": 1.2,
                   "points": 0.1, "effort": 0.4, "reach": 1.0, "default_reach": 1.0, "overridden": False,
                   "edition": 2027, "data_year": 2026, "rationale": "tăng 1,000 điểm — mức tăng điển hình"}],
              "pathway": [], "ladder": []}
    return AnalysisJob.objects.create(kind="target", owner=p.staff, key="k" * 40, status=JobStatus.DONE,
                                      progress=1.0, params={"unit": unit, "target_rank": 27, "competitors": "trend",
                                                            "percentile": 100.0, "probability": 0.8,
                                                            "time_budget": 10.0, "margin": 0.0, "fixed": [],
                                                            "bounds": {}},
                                      result=result)
