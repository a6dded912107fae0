"""Fault injection: the production server (scripts/serve.sh → gunicorn) is SIGKILLed while an
import, a report submission with its evidence file and a publication are in flight; after a
restart there is no half-written row, no orphan file anyone can reach, and every page is 200.

All three operations run at once and one kill hits them together, so the test costs one start
and one restart of the server (bounded, well under a minute on a quiet machine)."""

from __future__ import annotations

import json
import os
import random
import threading
import time

import pytest

from tests.web.live_server import ROOT, Server, Session

pytestmark = pytest.mark.slow

PASSWORD = "mat-khau-mau-thu-2026"
STATE = """
import json
from piiplan.web.accounts.models import User
from piiplan.web.indexdata.models import DatasetVersion
from piiplan.web.plan.models import AgencyReport, ReportingPeriod
from piiplan.web.plan import services
agency = User.objects.get(username="daumoi").agency
report = AgencyReport.objects.filter(agency=agency, status__in=["draft", "returned"]).first()
if report is None:
    period = next(p for p in ReportingPeriod.objects.filter(closed=False) if p.expects(agency))
    report = services.open_report(None, period, agency)
version = DatasetVersion.objects.filter(published=False).order_by("pk").first()
print("STATE" + json.dumps({"report": report.pk, "version": report.version, "dataset": version.pk if version else None}))
"""
CONSISTENCY = """
import json, sqlite3
from pathlib import Path
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from piiplan.web.plan.models import AgencyReport
problems = []
with connection.cursor() as c:
    c.execute("PRAGMA integrity_check"); ok = c.fetchone()[0]
    if ok != "ok": problems.append("integrity_check: " + ok)
    c.execute("PRAGMA foreign_key_check"); bad = c.fetchall()
    if bad: problems.append(f"foreign keys: {bad[:5]}")
for model in apps.get_models():
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            for pk, name in model._base_manager.exclude(**{field.attname: ""}).values_list("pk", field.attname):
                if not (Path(settings.MEDIA_ROOT) / name).is_file():
                    problems.append(f"{model._meta.label} #{pk}: file {name} missing")
for r in AgencyReport.objects.filter(status__in=["submitted", "accepted"], submitted_at__isnull=True):
    problems.append(f"report #{r.pk} submitted without submitted_at")
print("CONSISTENCY" + json.dumps(problems))
"""


def shell(server: Server, code: str, marker: str):
    out = server.manage("shell", "-c", code).stdout
    return json.loads(out[out.index(marker) + len(marker):].splitlines()[0])


def test_sigkill_during_import_submission_and_publication_leaves_a_consistent_instance(tmp_path):
    server = Server(tmp_path / "var", PIIPLAN_DEMO_PASSWORD=PASSWORD, ALLOWED_HOSTS="127.0.0.1,testserver")
    server.start()
    state = shell(server, STATE, "STATE")
    staff = Session(server).login("canbo", PASSWORD)
    agency = Session(server).login("daumoi", PASSWORD)
    rng = random.Random(7)
    evidence = b"%PDF-1.4\n" + bytes(rng.getrandbits(8) for _ in range(3_000_000)) + b"\n%%EOF\n"
    values = (ROOT / "src/piiplan/data/demo/values.csv").read_bytes()
    outcomes: dict[str, object] = {}

    def run(name, call):
        try:
            outcomes[name] = call()[0]
        except OSError as exc:
            outcomes[name] = type(exc).__name__

    def submit():
        report = state["report"]
        # The evidence arrives over a slow line (~2 s), so the kill always lands while it is in flight.
        agency.post(f"/ke-hoach/bao-cao/{report}/minh-chung/", {"description": "Biên bản"},
                    {"file": ("bien-ban.pdf", evidence, "application/pdf")}, pace=0.04)
        return agency.post(f"/ke-hoach/bao-cao/{report}/gui/", {"version": str(state["version"])})

    calls = {
        "import": lambda: staff.post("/du-lieu/", {"kind": ""}, {"file": ("so-lieu.csv", values * 3, "text/csv")}),
        "submit": submit,
    }
    if state["dataset"]:
        publisher = Session(server).login("canbo", PASSWORD)
        calls["publish"] = lambda: publisher.post(f"/du-lieu/phien-ban/{state['dataset']}/cong-bo/", {"published": "1"})
    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    time.sleep(0.4)
    server.kill()  # SIGKILL: serve.sh, the gunicorn master, its workers and the task worker
    for thread in threads:
        thread.join(30)
    assert any(isinstance(v, str) for v in outcomes.values()), f"the kill landed after every request: {outcomes}"

    # Before the restart: the database as the kill left it.
    assert shell(server, CONSISTENCY, "CONSISTENCY") == []

    server.start()
    try:
        assert shell(server, CONSISTENCY, "CONSISTENCY") == []
        # No uploaded file is reachable by URL, orphan or not.
        media = tmp_path / "var" / "media"
        files = [p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()]
        assert files, "the demo data has evidence files"
        for name in files[:20]:
            assert server.get(f"/media/{name}")[0] == 404
        # Orphans (a file written before its row was committed) are found and removed.
        server.manage("clean_orphans", "--min-age-minutes", "0", "--apply")
        assert "Không có tệp mồ côi" in server.manage("clean_orphans", "--min-age-minutes", "0").stdout

        staff = Session(server).login("canbo", PASSWORD)
        agency = Session(server).login("daumoi", PASSWORD)
        pages = ["/", "/xep-hang/", "/ho-so/", "/chi-so/", "/du-lieu/", "/ke-hoach/", "/ke-hoach/ky-bao-cao/",
                 f"/ke-hoach/bao-cao/{state['report']}/", "/nhat-ky/"]
        bad = {p: s for p in pages if (s := staff.get(p)[0]) != 200}
        bad.update({f"daumoi {p}": s for p in ("/ke-hoach/", f"/ke-hoach/bao-cao/{state['report']}/")
                    if (s := agency.get(p)[0]) != 200})
        assert not bad, bad
    finally:
        server.stop()
