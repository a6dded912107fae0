"""Is this instance empty? One answer for ``scripts/run.sh`` (load the demo data only into a new
database) and for ``manage.py restore`` (restore only into an empty instance)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

# Rows Django itself writes while migrating (or on any visit): they are not the users' data.
FRAMEWORK_MODELS = {"auth.permission", "contenttypes.contenttype", "sessions.session"}


def data_row_counts() -> dict[str, int]:
    """Rows per model (label_lower) of every model holding users' data, soft-deleted rows included.

    A table that does not exist yet (database not migrated) counts as empty.
    """
    tables = set(connection.introspection.table_names())
    counts: dict[str, int] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in FRAMEWORK_MODELS or model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.db_table not in tables:
            continue
        count = model._base_manager.count()
        if count:
            counts[label] = count
    return counts


def is_empty() -> bool:
    return not data_row_counts()
