"""Demo steps of the accounts app: the province's agencies and one user per role.

Only what is missing is created: an existing agency or user is never changed (a locked account stays
locked, a changed password or role stays), and the demo password is set only on accounts created now."""

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
    existing = {agency.code: agency for agency in Agency.all_objects.filter(code__in=[row[0] for row in rows])}
    created = 0
    for code, name, kind, note in rows:
        agency = existing.get(code)
        if agency is None:
            agency = Agency.all_objects.create(code=code, name=name, kind=kind, province=ctx.province, note=note or "")
            created += 1
        if agency.active and agency.deleted_at is None:
            ctx.agencies.append(agency)
    if not ctx.agencies:
        ctx.agencies.extend(Agency.objects.filter(active=True))
    ctx.say(f"  {len(rows)} cơ quan, đơn vị của {ctx.province} (thêm mới {created}).")


def load_users(ctx: DemoContext) -> None:
    by_code = {agency.code: agency for agency in ctx.agencies}
    for username, role, full_name, agency_code in DEMO_USERS:
        agency = None
        if role == Role.AGENCY:
            agency = by_code.get(agency_code) or next(
                (a for a in ctx.agencies if a.kind == AgencyKind.DEPARTMENT), ctx.agencies[0] if ctx.agencies else None
            )
            if agency is None and not User.objects.filter(username__iexact=username).exists():
                ctx.say(f"  Không có cơ quan nào đang hoạt động: bỏ qua tài khoản {username}.")
                continue
            if agency is not None and agency.code != agency_code:
                full_name = f"Đầu mối {agency.name}"
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            user = User(username=username, role=role, full_name=full_name, agency=agency, is_active=True)
            user.set_password(ctx.password)
            user.save()
            ctx.logins.append((Role(role).label, username, ctx.password))
        else:
            ctx.kept.append(username)
        ctx.users[str(role)] = user
    ctx.say(f"  {len(DEMO_USERS)} tài khoản mẫu, một tài khoản cho mỗi vai trò (tạo mới {len(ctx.logins)}).")


STEPS = [
    DemoStep("accounts.agencies", "Cơ quan, đơn vị", load_agencies),
    DemoStep("accounts.users", "Tài khoản mẫu", load_users),
]
