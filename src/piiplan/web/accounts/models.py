"""Agencies, users with one role each, and login-attempt counters for throttling."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from piiplan.web.audit.models import SoftDeleteModel


class Role(models.TextChoices):
    DOST_ADMIN = "dost_admin", "Quản trị viên Sở KH&CN"
    DOST_STAFF = "dost_staff", "Cán bộ Sở KH&CN"
    AGENCY = "agency", "Đầu mối cơ quan, đơn vị"
    LEADER = "leader", "Lãnh đạo (chỉ xem)"


# Not a stored role: what the access helper calls a visitor who is not signed in.
ANONYMOUS = "anonymous"


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", "Sở, ban, ngành cấp tỉnh"
    COMMUNE = "commune", "Xã, phường"
    OTHER = "other", "Cơ quan, tổ chức khác"


def _default_province() -> str:
    return settings.PIIPLAN_PROVINCE


class Agency(SoftDeleteModel):
    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên cơ quan, đơn vị", max_length=255)
    kind = models.CharField("loại", max_length=16, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    province = models.CharField("tỉnh", max_length=100, default=_default_province)
    email = models.EmailField("thư điện tử", blank=True)
    note = models.TextField("ghi chú", blank=True)
    active = models.BooleanField("đang hoạt động", default=True)
    # Set when the agency was merged into another (it is then retired; its history stays with it).
    merged_into = models.ForeignKey(
        "self", verbose_name="đã gộp vào", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    # Optimistic locking of the administration form (accounts.admin_services): a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    # The access helper (accounts/access.py) scopes agency users to their own agency.
    AGENCY_SCOPE = ("pk",)
    PUBLIC_FILTER = {"active": True}

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"

    def __str__(self) -> str:
        return self.name


class PiiplanUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.DOST_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=16, choices=Role.choices, default=Role.LEADER)
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan, đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    # A temporary password set by the administrator: the user must choose a new one before anything else.
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PiiplanUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            # An agency focal point belongs to exactly one agency; nobody else belongs to one.
            models.CheckConstraint(
                condition=(Q(role="agency") & Q(agency__isnull=False))
                | (~Q(role="agency") & Q(agency__isnull=True)),
                name="accounts_user_agency_iff_agency_role",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_dost(self) -> bool:
        return self.role in (Role.DOST_ADMIN, Role.DOST_STAFF)


class LoginThrottle(models.Model):
    """One login-attempt counter (``accounts.ratelimit``): a key such as ``pair:<username>|<address>``,
    the attempts counted in the current window and when that window started.

    In the database rather than the cache so that every app process shares the count; changed only by
    conditional UPDATEs so that parallel attempts cannot slip past the limit.
    """

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
