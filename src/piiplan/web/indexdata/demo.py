"""Demo step: the shipped framework (pii-2025) and synthetic panel as the first versions (only into a workspace
without any data version: existing versions are never changed)."""

from __future__ import annotations

from piiplan.web.demo import DemoContext, DemoStep
from piiplan.web.indexdata.models import DatasetVersion, FrameworkVersion
from piiplan.web.indexdata.versions import create_dataset, dataset_texts, find_or_create_framework

DEMO_NAME = "Bộ dữ liệu mô phỏng PII 2023–2025"


def load_dataset(ctx: DemoContext) -> None:
    from piiplan.demo import demo_framework, load_demo
    from piiplan.web.indexdata.models import text_hash

    user = ctx.users.get("dost_admin")
    if DatasetVersion.all_objects.exists():
        # Data were loaded or imported before: never add a second (published) copy next to them.
        ctx.data["demo_dataset"] = DatasetVersion.all_objects.filter(synthetic=True).order_by("pk").first()
        ctx.say("  Đã có dữ liệu chỉ số: giữ nguyên.")
        return
    fw = demo_framework()
    has_active = FrameworkVersion.objects.filter(active=True).exists()
    fw_version = find_or_create_framework(fw, user=user, source_name="pii-2025.csv", name="PII 2025",
                                          activate=not has_active, note="Khung chỉ số PII 2025 đi kèm phần mềm.")
    ds = load_demo()
    content = text_hash(*dataset_texts(ds))
    existing = DatasetVersion.all_objects.filter(content_hash=content, synthetic=True).first()
    if existing is None:
        existing = create_dataset(ds, fw_version, user=user, source_name="demo/values.csv", name=DEMO_NAME,
                                  synthetic=True, published=True, activate=fw_version.active,
                                  note="Dữ liệu mô phỏng — không phải số liệu chính thức.")
        ctx.say(f"  {DEMO_NAME}: {existing.n_units} đơn vị, {existing.n_indicators} chỉ số, năm {existing.years}.")
    else:
        ctx.say(f"  {DEMO_NAME} đã có (phiên bản #{existing.pk}).")
    ctx.data["demo_dataset"] = existing


STEPS = [DemoStep("indexdata.dataset", "Khung chỉ số và dữ liệu mẫu", load_dataset)]
