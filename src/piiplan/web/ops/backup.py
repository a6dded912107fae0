"""Backup and restore of one instance: the database and the uploaded files, with a manifest.

A backup is a folder::

    manifest.json          format, date, database engine, SHA-256 of every file below
    database.sqlite3       SQLite: a consistent online copy (sqlite3 backup API, readers and
                           writers may go on meanwhile), or
    database.dump          PostgreSQL: ``pg_dump --format=custom``
    media/…                every file under MEDIA_ROOT (evidence, imported files)

The database is copied first, then the files: an upload finishing meanwhile leaves at most an
extra file (an orphan, see ``orphans.py``), never a row without its file. ``restore`` checks
everything before it changes anything: the manifest, every checksum, the engine, an empty
database and no file already in MEDIA_ROOT at a restored path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connections

from piiplan.web.ops import state

FORMAT = "piiplan-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A refused backup or restore; the message is Vietnamese and nothing was changed."""


@dataclass(frozen=True)
class Summary:
    folder: Path
    engine: str
    files: int
    media_files: int
    bytes: int


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")
    return vendor


def _db() -> dict:
    return settings.DATABASES["default"]


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = _db()
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy chương trình {command[0]} (cài gói postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{what} không thành công: {result.stderr.strip()[:500]}")


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup(dest: Path) -> Summary:
    """Write a backup of this instance into ``dest`` (a new or empty folder)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"Thư mục đích {dest} đã tồn tại và không trống: chọn một thư mục mới.")
    kind = engine()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if kind == "sqlite":
            db_name = "database.sqlite3"
            source = sqlite3.connect(_db()["NAME"])
            target = sqlite3.connect(dest / db_name)
            try:
                with target:
                    source.backup(target)
                # One self-contained file (no -wal/-shm beside it).
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
                source.close()
        else:
            db_name = "database.dump"
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dest / db_name),
                  *args], env, "pg_dump")
        media_root = Path(settings.MEDIA_ROOT)
        for path in _media_files(media_root):
            copy = dest / MEDIA_DIR / path.relative_to(media_root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
        files = {p.relative_to(dest).as_posix(): sha256(p) for p in sorted(dest.rglob("*")) if p.is_file()}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "engine": kind,
            "database": db_name,
            "files": files,
        }
        (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    media = sum(1 for name in files if name.startswith(MEDIA_DIR + "/"))
    return Summary(dest, kind, len(files), media, sum((dest / n).stat().st_size for n in files))


def read_manifest(src: Path) -> dict:
    """The manifest of ``src`` after checking every file's checksum (BackupError otherwise)."""
    src = Path(src)
    if not src.is_dir():
        raise BackupError(f"Không tìm thấy thư mục sao lưu {src}.")
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"Thiếu tệp kê khai {MANIFEST} trong {src}: đây không phải một bản sao lưu piiplan "
                          "đầy đủ, không khôi phục.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"Tệp kê khai {MANIFEST} bị hỏng (không đọc được JSON), không khôi phục.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"Tệp {MANIFEST} không phải tệp kê khai sao lưu piiplan, không khôi phục.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Bản sao lưu có phiên bản định dạng {manifest.get('version')!r}, chỉ hỗ trợ {VERSION}.")
    files = manifest["files"]
    if manifest.get("database") not in files:
        raise BackupError("Tệp kê khai không liệt kê tệp cơ sở dữ liệu, không khôi phục.")
    for name, expected in sorted(files.items()):
        target = (src / name).resolve()
        if not target.is_relative_to(src.resolve()) or name == MANIFEST:
            raise BackupError(f"Tệp kê khai có đường dẫn không hợp lệ: {name!r}, không khôi phục.")
        if not target.is_file():
            raise BackupError(f"Thiếu tệp {name} trong bản sao lưu, không khôi phục.")
        if sha256(target) != expected:
            raise BackupError(f"Tệp {name} sai mã kiểm tra SHA-256 (đã bị sửa hoặc hỏng), không khôi phục.")
    return manifest


def restore(src: Path) -> Summary:
    """Restore the backup in ``src`` into this instance, which must be empty."""
    src = Path(src)
    manifest = read_manifest(src)
    kind = engine()
    if manifest.get("engine") != kind:
        raise BackupError(f"Bản sao lưu là của cơ sở dữ liệu {manifest.get('engine')}, còn phiên bản này dùng "
                          f"{kind}: không khôi phục.")
    counts = state.data_row_counts()
    if counts:
        total = sum(counts.values())
        raise BackupError(f"Cơ sở dữ liệu đích không trống ({total} dòng trong {len(counts)} bảng): chỉ khôi phục "
                          "vào một phiên bản mới, chưa có dữ liệu. Không có gì bị thay đổi.")
    media_root = Path(settings.MEDIA_ROOT)
    media = [name for name in manifest["files"] if name.startswith(MEDIA_DIR + "/")]
    clashes = [name for name in media if (media_root / name[len(MEDIA_DIR) + 1:]).exists()]
    if clashes:
        raise BackupError(f"Thư mục tệp tải lên {media_root} đã có tệp {clashes[0][len(MEDIA_DIR) + 1:]}: chỉ "
                          "khôi phục vào một phiên bản mới. Không có gì bị thay đổi.")

    copied: list[Path] = []
    try:
        for name in media:
            target = media_root / name[len(MEDIA_DIR) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / name, target)
            copied.append(target)
        database = src / manifest["database"]
        connections.close_all()
        if kind == "sqlite":
            source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            target_db = sqlite3.connect(_db()["NAME"])
            try:
                with target_db:
                    source.backup(target_db)
                target_db.execute("PRAGMA journal_mode=WAL")
            finally:
                target_db.close()
                source.close()
        else:
            args, env = _pg_env()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
                  *args, str(database)], env, "pg_restore")
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    size = sum((src / n).stat().st_size for n in manifest["files"])
    return Summary(src, kind, len(manifest["files"]), len(media), size)
