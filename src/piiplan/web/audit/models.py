"""The audit log (append-only) and the soft-delete mixin every deletable record uses."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Nhật ký hệ thống chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise AppendOnlyError("Nhật ký hệ thống chỉ được ghi thêm, không được xoá.")


class AuditEntry(models.Model):
    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the entry still says who it was if the account is ever removed.
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    action = models.CharField("hành động", max_length=64, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("đối tượng", max_length=200, blank=True)
    before = models.JSONField("trước", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("sau", null=True, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "mục nhật ký"
        verbose_name_plural = "nhật ký hệ thống"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username or '—'} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký hệ thống chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký hệ thống chỉ được ghi thêm, không được xoá.")


class LiveManager(models.Manager):
    """Default manager of soft-deletable models: hides deleted rows."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    """Mixin: ``soft_delete()`` hides a row, ``restore()`` brings it back; both are audited.

    ``objects`` shows live rows only; ``all_objects`` shows everything (for the recycle bin and
    for restoring). Related-object access uses the plain base manager, so a live task still
    reaches a deleted agency it points to.
    """

    deleted_at = models.DateTimeField("thời điểm xoá", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xoá",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self, request=None, *, user=None, note: str = "") -> None:
        from piiplan.web.audit.log import record

        self.deleted_at = timezone.now()
        self.deleted_by = user if user is not None else _request_user(request)
        self.save(update_fields=["deleted_at", "deleted_by"])
        record(request, "delete", self, user=user, note=note)

    def restore(self, request=None, *, user=None, note: str = "") -> None:
        from piiplan.web.audit.log import record

        self.deleted_at = None
        self.deleted_by = None
        self.save(update_fields=["deleted_at", "deleted_by"])
        record(request, "restore", self, user=user, note=note)


def _request_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
