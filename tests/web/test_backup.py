"""manage.py backup / restore / clean_orphans, end to end on two throwaway instances."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.web.live_server import ROOT, Server

pytestmark = pytest.mark.slow

SNAPSHOT = (ROOT / "tests" / "web" / "page_snapshot.py").read_text(encoding="utf-8")
EXTRA_EVIDENCE = bytes(range(256)) * 40 + "minh chứng riêng".encode()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated empty database, copied for each instance (migrating costs seconds)."""
    folder = tmp_path_factory.mktemp("migrated")
    Server(folder).manage("migrate", "-v", "0")
    return folder / "piiplan.sqlite3"


@pytest.fixture
def instance(migrated):
    def make(tmp_path: Path, name: str) -> Server:
        (tmp_path / name).mkdir()
        shutil.copy(migrated, tmp_path / name / "piiplan.sqlite3")
        return Server(tmp_path / name, ALLOWED_HOSTS="testserver,127.0.0.1")

    return make


def snapshot(server: Server) -> dict:
    out = server.manage("shell", "-c", SNAPSHOT).stdout
    return json.loads(out[out.index("SNAPSHOT") + len("SNAPSHOT"):])


def fill(server: Server) -> None:
    server.manage("load_demo")
    server.manage("shell", "-c", (
        "from django.core.files.base import ContentFile\n"
        "from piiplan.web.plan.models import AgencyReport, Evidence\n"
        "r = AgencyReport.objects.first()\n"
        "e = Evidence(report=r, original_name='Biên bản.bin', content_type='application/octet-stream', size=0)\n"
        f"e.file.save('x.bin', ContentFile({EXTRA_EVIDENCE!r}), save=False); e.size = e.file.size; e.save()\n"))


def test_backup_restore_gives_an_instance_serving_the_same_pages_reports_and_files(tmp_path, instance):
    source = instance(tmp_path, "a")
    fill(source)
    done = source.manage("backup", str(tmp_path / "bk"))
    assert "Đã sao lưu" in done.stdout
    # Taken after the backup: fetching reports and evidence writes audit entries.
    before = snapshot(source)
    assert len([k for k in before if "minh-chung" in k]) >= 2 and all(v.startswith("200 ") for v in before.values())
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite" and "database.sqlite3" in manifest["files"]
    media = [n for n in manifest["files"] if n.startswith("media/evidence/")]
    assert len(media) >= 2
    assert EXTRA_EVIDENCE in [(tmp_path / "bk" / n).read_bytes() for n in media]

    target = instance(tmp_path, "b")
    restored = target.manage("restore", str(tmp_path / "bk"))
    assert "Đã khôi phục" in restored.stdout
    after = snapshot(target)
    assert after == before
    # Evidence files byte for byte on disk too.
    for name in media:
        rel = name[len("media/"):]
        assert (tmp_path / "b" / "media" / rel).read_bytes() == (tmp_path / "a" / "media" / rel).read_bytes()

    # Restoring again into the now non-empty instance is refused and changes nothing.
    rows = target.manage("instance_state", check=False).stdout
    again = target.manage("restore", str(tmp_path / "bk"), check=False)
    assert again.returncode != 0 and "không trống" in again.stderr
    assert target.manage("instance_state", check=False).stdout == rows


def test_restore_refuses_a_missing_manifest_or_a_wrong_checksum_and_changes_nothing(tmp_path, instance):
    source = instance(tmp_path, "a")
    source.manage("shell", "-c", "from piiplan.web.accounts.models import Agency; Agency.objects.create(name='Sở A', code='A')")
    source.manage("backup", str(tmp_path / "bk"))
    refused = source.manage("backup", str(tmp_path / "bk"), check=False)
    assert refused.returncode != 0 and "không trống" in refused.stderr

    target = instance(tmp_path, "b")
    tampered = tmp_path / "bk"
    db = tampered / "database.sqlite3"
    original = db.read_bytes()
    db.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    result = target.manage("restore", str(tampered), check=False)
    assert result.returncode != 0 and "sai mã kiểm tra SHA-256" in result.stderr
    db.write_bytes(original)

    (tampered / "manifest.json").rename(tampered / "manifest.old")
    result = target.manage("restore", str(tampered), check=False)
    assert result.returncode != 0 and "Thiếu tệp kê khai manifest.json" in result.stderr

    assert target.manage("instance_state", check=False).returncode == 0
    assert not (tmp_path / "b" / "media").exists() or not any((tmp_path / "b" / "media").rglob("*.*"))


def test_clean_orphans_lists_by_default_and_removes_only_unreferenced_old_files(tmp_path, instance):
    server = instance(tmp_path, "a")
    fill(server)
    media = tmp_path / "a" / "media"
    kept = sorted(p for p in media.rglob("*") if p.is_file())
    orphan = media / "imports" / "2026" / "12" / "half.csv"
    orphan.parent.mkdir(parents=True)
    orphan.write_text("a,b\n")
    old = time.time() - 7200
    os.utime(orphan, (old, old))
    fresh = media / "evidence" / "2026" / "uploading.pdf"
    fresh.write_bytes(b"%PDF")

    dry = server.manage("clean_orphans").stdout
    assert "imports/2026/12/half.csv" in dry and "uploading.pdf" not in dry and "chạy thử" in dry
    assert orphan.exists()
    applied = server.manage("clean_orphans", "--apply").stdout
    assert "Đã xoá 1 tệp mồ côi" in applied
    assert not orphan.exists() and not orphan.parent.exists() and fresh.exists()
    assert all(p.exists() for p in kept)
    assert "Không có tệp mồ côi" in server.manage("clean_orphans").stdout


PG_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture
def pg_databases():
    """Two new, empty databases on the test PostgreSQL server (scripts/test.sh's second run), dropped after."""
    if not PG_URL.startswith("postgres"):
        pytest.skip("PostgreSQL only (the second run of scripts/test.sh)")
    import secrets

    import psycopg

    base = PG_URL.rsplit("/", 1)[0]
    names = [f"piiplan_backup_{secrets.token_hex(4)}_{side}" for side in "ab"]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_on_postgresql_through_pg_dump(tmp_path, pg_databases):
    """The pg_dump / pg_restore path: same pages, reports and evidence bytes on the restored instance."""
    url_a, url_b = pg_databases
    source = Server(tmp_path / "a", ALLOWED_HOSTS="testserver,127.0.0.1", DATABASE_URL=url_a)
    target = Server(tmp_path / "b", ALLOWED_HOSTS="testserver,127.0.0.1", DATABASE_URL=url_b)
    for server in (source, target):
        server.var_dir.mkdir()
        server.manage("migrate", "-v", "0")
    fill(source)
    assert "Đã sao lưu" in source.manage("backup", str(tmp_path / "bk")).stdout
    before = snapshot(source)
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["engine"] == "postgresql" and "database.dump" in manifest["files"]
    assert (tmp_path / "bk" / "database.dump").read_bytes()[:5] == b"PGDMP"   # pg_dump's custom format

    assert "Đã khôi phục" in target.manage("restore", str(tmp_path / "bk")).stdout
    assert snapshot(target) == before
    media = [n for n in manifest["files"] if n.startswith("media/evidence/")]
    assert EXTRA_EVIDENCE in [(tmp_path / "b" / n).read_bytes() for n in media]
    again = target.manage("restore", str(tmp_path / "bk"), check=False)
    assert again.returncode != 0 and "không trống" in again.stderr
