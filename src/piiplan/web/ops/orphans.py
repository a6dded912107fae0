"""Upload files no row refers to (an import or upload interrupted between writing the file and
committing its row). Uploaded files are never served by URL — only through views that look the
row up and check permissions — so an orphan is invisible; ``clean_orphans`` removes them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Orphan:
    path: Path
    name: str  # relative to MEDIA_ROOT, as stored in a FileField
    size: int


def referenced_names() -> set[str]:
    """Every file name stored in any FileField of any model (soft-deleted rows included)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._base_manager.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
                names.update(v for v in values if v)
    return names


def find_orphans(min_age_seconds: float = 3600, now: float | None = None) -> list[Orphan]:
    """Files under MEDIA_ROOT that no row refers to and that are older than ``min_age_seconds``
    (a younger file may belong to an upload still being saved)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    known = referenced_names()
    now = time.time() if now is None else now
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        if name not in known and now - stat.st_mtime >= min_age_seconds:
            found.append(Orphan(path, name, stat.st_size))
    return found


def remove(orphans: list[Orphan]) -> int:
    removed = 0
    root = Path(settings.MEDIA_ROOT)
    for orphan in orphans:
        try:
            orphan.path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        # Drop folders left empty (never MEDIA_ROOT itself).
        parent = orphan.path.parent
        while parent != root and parent.is_relative_to(root):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return removed
