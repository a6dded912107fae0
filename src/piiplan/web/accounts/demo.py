"""Demo steps of the accounts app: the province's agencies and one user per role."""

from __future__ import annotations

from piiplan import reference
from piiplan.web.accounts.models import Agency, AgencyKind, Role, User
from piiplan.web.demo import DemoContext, DemoStep

# Kinds in data/provinces/<slug>/agencies.csv and communes.csv → Agency.kind.
KIND_MAP = {
    "provincial": AgencyKind.DEPARTMENT,
    "xã": AgencyKind.COMMUNE,
    "phường": AgencyKind.COMMUNE,
    "commune": AgencyKind.COMMUNE,
    "ward": AgencyKind.COMMUNE,
}

# Used only when the province ships no agency list: the agency role needs one agency.
FALLBACK_AGENCY = ("SKHCN", "Sở Khoa học và Công nghệ", AgencyKind.DEPARTMENT)

DEMO_USERS = [
    # username, role, full name, agency code (None = not bound)
    ("quantri", Role.DOST_ADMIN, "Quản trị viên Sở KH&CN", None),
    ("canbo", Role.DOST_STAFF, "Cán bộ Sở KH&CN", None),
    ("daumoi", Role.AGENCY, "Đầu mối Sở Tài chính", "STC"),
    ("lanhdao", Role.LEADER, "Lãnh đạo UBND tỉnh", None),
]


def _rows(ctx: DemoContext) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    try:
        table = reference.agencies(ctx.province)
    except (reference.ReferenceDataError, LookupError):
        table = None
    if table is not None:
        for item in table.itertuples(index=False):
            rows.append((item.code, item.name, KIND_MAP.get(item.kind, AgencyKind.OTHER), item.note))
    try:
        communes = reference.communes(ctx.province)
    except (reference.ReferenceDataError, LookupError):
        communes = None
    if communes is not None:
        for item in communes.itertuples(index=False):
            name = f"{str(item.kind).capitalize()} {item.name}"
            rows.append((item.code, name, AgencyKind.COMMUNE, ""))
    return rows


def load_agencies(ctx: DemoContext) -> None:
    rows = _rows(ctx)
    if not rows:
        ctx.say(f"  Chưa có danh sách cơ quan của {ctx.province}: tạo một cơ quan mẫu.")
        rows = [(*FALLBACK_AGENCY, "Cơ quan mẫu (chưa có danh sách cơ quan của tỉnh).")]
    for code, name, kind, note in rows:
        agency, _ = Agency.all_objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "province": ctx.province, "note": note or "", "active": True},
        )
        if agency.deleted_at is not None:
            agency.deleted_at = None
            agency.save(update_fields=["deleted_at"])
        ctx.agencies.append(agency)
    ctx.say(f"  {len(rows)} cơ quan, đơn vị của {ctx.province}.")


def load_users(ctx: DemoContext) -> None:
    by_code = {agency.code: agency for agency in ctx.agencies}
    for username, role, full_name, agency_code in DEMO_USERS:
        agency = None
        if role == Role.AGENCY:
            agency = by_code.get(agency_code) or next(
                (a for a in ctx.agencies if a.kind == AgencyKind.DEPARTMENT), ctx.agencies[0]
            )
            if agency.code != agency_code:
                full_name = f"Đầu mối {agency.name}"
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "full_name": full_name, "agency": agency, "is_active": True},
        )
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
        ctx.users[str(role)] = user
        ctx.logins.append((Role(role).label, username, ctx.password))
    ctx.say(f"  {len(DEMO_USERS)} tài khoản mẫu, một tài khoản cho mỗi vai trò.")


STEPS = [
    DemoStep("accounts.agencies", "Cơ quan, đơn vị", load_agencies),
    DemoStep("accounts.users", "Tài khoản mẫu", load_users),
]
