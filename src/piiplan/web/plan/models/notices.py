"""In-app notices and the record of reminders already sent (so none is sent twice)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from piiplan.web.accounts.access import WRITE_ALL
from piiplan.web.accounts.models import Agency, Role


class Notice(models.Model):
    """A message shown in the app: to one agency's users, or to the DoST (``for_dost``)."""

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    for_dost = models.BooleanField(default=False)
    title = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        if role in WRITE_ALL:
            return queryset.filter(for_dost=True)
        if role == Role.AGENCY and user.agency_id:
            return queryset.filter(agency_id=user.agency_id)
        return queryset.none()

    # Read state is each person's own: one focal point reading a notice leaves it unread for the others of
    # the agency (``read_at`` keeps when anyone first read it).
    @classmethod
    def for_user(cls, user):
        """The notices ``user`` may see, each with ``is_read`` (by this user)."""
        from piiplan.web.accounts.access import visible_to

        mine = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
        return visible_to(user, cls).annotate(is_read=Exists(mine))

    @classmethod
    def unread_for(cls, user):
        return cls.for_user(user).filter(is_read=False)

    @classmethod
    def mark_read(cls, user, notices) -> int:
        """Mark ``notices`` (a queryset the user may see) read by ``user``; returns how many were unread."""
        ids = list(notices.exclude(reads__user=user).values_list("pk", flat=True))
        NoticeRead.objects.bulk_create([NoticeRead(notice_id=pk, user=user) for pk in ids], ignore_conflicts=True)
        cls.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
        return len(ids)


class NoticeRead(models.Model):
    """One person has read one notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="plan_notice_read_once")]


class MailPreference(models.Model):
    """A user's choice about e-mail: on by default; the notices in the app are always kept."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_mail")
    email_enabled = models.BooleanField("nhận thư điện tử", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    @classmethod
    def wants_mail(cls, user) -> bool:
        row = cls.objects.filter(user=user).first()
        return row.email_enabled if row else True


class ReminderSent(models.Model):
    """One reminder sent: item (kind + id) × agency × threshold × due date is unique."""

    kind = models.CharField(max_length=16)  # "task" or "report"
    object_id = models.PositiveIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    threshold = models.CharField(max_length=16)  # "7", "1", "overdue"
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)
    # Who pressed "send now" on the reminders page; empty for the scheduled command.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "agency", "threshold", "due_date"], name="plan_reminder_once"
            )
        ]
