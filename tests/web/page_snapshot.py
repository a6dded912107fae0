"""Run inside an instance (``manage.py shell -c``): print a JSON map URL → SHA-256 of what each
role is served — pages (CSRF tokens blanked), the period reports (DOCX text) and every evidence
file byte for byte. Two instances with the same data print the same map."""

import hashlib
import io
import json
import os
import re
import zipfile

from django.test import Client
from django.urls import reverse

from piiplan.web.accounts.models import User
from piiplan.web.plan.models import AgencyReport, Evidence, Plan, ReportingPeriod, Task

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+|(csrfToken[^;]*?")[^"]+')

PRINTED = re.compile("In lúc [0-9/: ]+".encode())


def digest(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as docx:
            body = docx.read("word/document.xml")
    elif "text/html" in kind:
        body = TOKEN.sub(lambda m: m.group(1) or m.group(2), body)
        # The print footer's clock ("In lúc 03/12/2026 19:28") is the only time-dependent text.
        body = PRINTED.sub(b"", body)
    if os.environ.get("SNAPSHOT_DIR"):
        name = hashlib.md5(response.request["PATH_INFO"].encode()).hexdigest()
        with open(os.path.join(os.environ["SNAPSHOT_DIR"], response.request["PATH_INFO"].replace("/", "_") + name[:4]), "wb") as fh:
            fh.write(body)
    return f"{response.status_code} {hashlib.sha256(body).hexdigest()}"


urls = ["/", "/xep-hang/", "/ho-so/", "/chi-so/", "/chi-so/1.2.1/", reverse("plan:register")]
staff_urls = [reverse("audit:log"), reverse("plan:dashboard"), reverse("plan:periods"), reverse("plan:models")]
for plan in Plan.objects.all():
    staff_urls += [reverse("plan:plan_detail", args=[plan.pk]), reverse("plan:tasks", args=[plan.pk])]
staff_urls += [reverse("plan:task_detail", args=[t.pk]) for t in Task.objects.all()[:10]]
for period in ReportingPeriod.objects.all():
    staff_urls += [reverse("plan:period_detail", args=[period.pk]), reverse("plan:period_report", args=[period.pk])]
staff_urls += [reverse("plan:report_detail", args=[r.pk]) for r in AgencyReport.objects.all()]
staff_urls += [reverse("plan:evidence_download", args=[e.pk]) for e in Evidence.all_objects.all()]

out = {}
anonymous = Client()
for url in urls:
    out[f"anonymous {url}"] = digest(anonymous.get(url))
staff = Client()
staff.force_login(User.objects.get(username="canbo"))
for url in urls + staff_urls:
    out[f"canbo {url}"] = digest(staff.get(url))
print("SNAPSHOT" + json.dumps(out, sort_keys=True))
