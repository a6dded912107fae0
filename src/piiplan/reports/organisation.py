"""The issuing organisation: the ONE place every document (web and CLI) gets its issuing body, number
symbol, place name, signer and "Lưu" line from.

The web keeps these fields in the database (edited by the DoST admin); the CLI reads the same row when it
runs with the web's database (``DATABASE_URL``), otherwise ``defaults(province)`` builds them from the
province file (``data/provinces/<slug>/province.yaml`` or the province list). Writers never hard-code any
of it: they get an :class:`~piiplan.reports.model.Issuer` and a :class:`~piiplan.reports.model.Signature`
from :meth:`Organisation.issuer` and :meth:`Organisation.signature`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

from piiplan.reports.model import Issuer, Signature

# How the signer signs (Decree 30/2020, Appendix I, section II.8): KT. (ký thay) for a deputy, TM. (thay
# mặt) for a collective body, TL. (thừa lệnh), Q. (quyền) or the head signing in person ("").
SIGNER_FORMS = {
    "KT": "Ký thay (KT.) — cấp phó ký thay người đứng đầu",
    "TM": "Thay mặt (TM.) — thay mặt tập thể",
    "TL": "Thừa lệnh (TL.)",
    "Q": "Quyền (Q.)",
    "": "Người đứng đầu ký trực tiếp",
}

LABELS = {
    "province": "Tỉnh, thành phố",
    "superior": "Cơ quan cấp trên (dòng trên tên cơ quan)",
    "name": "Tên cơ quan ban hành (viết hoa)",
    "name_in_text": "Tên cơ quan trong câu văn",
    "symbol": "Chữ viết tắt trong số, ký hiệu văn bản",
    "place": "Địa danh ghi ở dòng ngày tháng",
    "head_title": "Chức vụ người đứng đầu",
    "signer_form": "Hình thức ký",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ và tên người ký",
    "drafting_unit": "Đơn vị soạn thảo (ghi ở dòng «Lưu»)",
}
REQUIRED = ("province", "superior", "name", "symbol", "place", "head_title", "signer_title", "drafting_unit")
_SYMBOL_RE = re.compile(r"^[A-ZĐ0-9&][A-ZĐ0-9&.\-]*$")
MAX_LENGTH = 200


@dataclass
class Organisation:
    """Who issues the documents and who signs them."""

    province: str  # "Lạng Sơn": the province the documents are about and addressed to
    superior: str  # "UBND TỈNH LẠNG SƠN"
    name: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    symbol: str  # "SKHCN" in "Số: …/BC-SKHCN"
    place: str  # "Lạng Sơn" in "Lạng Sơn, ngày … tháng … năm …"
    signer_form: str = "KT"
    head_title: str = "GIÁM ĐỐC"
    signer_title: str = "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    drafting_unit: str = "QLKH"  # "Lưu: VT, QLKH."
    name_in_text: str = ""  # "Sở Khoa học và Công nghệ"; derived from ``name`` when blank

    @property
    def body_in_text(self) -> str:
        if self.name_in_text:
            return self.name_in_text
        return sentence_case(self.name)

    def issuer(self) -> Issuer:
        return Issuer(parent_body=self.superior, body=self.name, place=self.place, symbol=self.symbol,
                      name=self.body_in_text)

    def signature(self, *, signed: bool = False) -> Signature:
        head, title = self.head_title.upper(), self.signer_title.upper()
        if self.signer_form == "KT":
            lines = [f"KT. {head}", title]
        elif self.signer_form == "TM":
            lines = [f"TM. {self.name.upper()}", title]
        elif self.signer_form == "TL":
            lines = [f"TL. {head}", title]
        elif self.signer_form == "Q":
            lines = [f"Q. {head}"]
        else:
            lines = [head]
        return Signature(lines, name=self.signer_name, signed=signed)

    def archive(self) -> str:
        """"Lưu: VT, QLKH." (văn thư and the drafting unit)."""
        unit = self.drafting_unit.strip().rstrip(".")
        return f"Lưu: VT, {unit}." if unit else "Lưu: VT."

    @property
    def superior_in_text(self) -> str:
        """"Ủy ban nhân dân tỉnh Lạng Sơn": the superior body as written in "Kính gửi" and in sentences."""
        return superior_in_text(self.superior)

    def as_dict(self) -> dict:
        return asdict(self)


def sentence_case(upper: str) -> str:
    """"SỞ KHOA HỌC VÀ CÔNG NGHỆ" → "Sở Khoa học và Công nghệ" (the usual capitalisation of Sở names)."""
    words = upper.strip().lower().split()
    if not words:
        return ""
    out = [words[0].capitalize()]
    # The name proper after "Sở": first word capitalised ("Khoa học và Công nghệ", "Tài chính").
    rest = words[1:]
    after_and = False
    for i, w in enumerate(rest):
        if i == 0 or after_and:
            out.append(w.capitalize())
        else:
            out.append(w)
        after_and = w == "và"
    return " ".join(out)


def superior_in_text(superior: str) -> str:
    """"UBND TỈNH LẠNG SƠN" → "Ủy ban nhân dân tỉnh Lạng Sơn"."""
    text = superior.strip()
    upper = text.upper()
    for prefix in ("UBND ", "ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "):
        if upper.startswith(prefix):
            rest = text[len(prefix):].strip()
            words = rest.split()
            if words and words[0].lower() in ("tỉnh", "thành"):
                kind = "thành phố" if words[0].lower() == "thành" else "tỉnh"
                name_words = words[2:] if kind == "thành phố" else words[1:]
                name = " ".join(w.capitalize() for w in " ".join(name_words).lower().split())
                if name == "Hồ Chí Minh":  # "Thành phố Hồ Chí Minh" is the city's name itself
                    kind = "Thành phố"
                return f"Ủy ban nhân dân {kind} {name}".strip()
            return "Ủy ban nhân dân " + " ".join(w.capitalize() for w in rest.lower().split())
    return text


def defaults(province: str) -> Organisation:
    """The organisation of ``province`` as its province file gives it (no signer name)."""
    from piiplan.reference import province_profile

    p = province_profile(province)
    return Organisation(province=str(p["name"]), superior=str(p["issuer"]), name=str(p["issuer_agency"]),
                        symbol=str(p.get("focal_agency") or "SKHCN"), place=str(p["place"]))


def validate(data: dict) -> dict[str, str]:
    """Problems of the fields in ``data`` as {field: Vietnamese message}; empty when all is well."""
    errors: dict[str, str] = {}
    known = {f.name for f in fields(Organisation)}
    for key in data:
        if key not in known:
            errors[key] = f"Trường «{key}» không thuộc thông tin cơ quan ban hành."
    for key in REQUIRED:
        if not str(data.get(key) or "").strip():
            errors[key] = f"«{LABELS[key]}» không được để trống."
    for key in known:
        if len(str(data.get(key) or "")) > MAX_LENGTH:
            errors[key] = f"«{LABELS[key]}» dài quá {MAX_LENGTH} ký tự."
    symbol = str(data.get("symbol") or "").strip()
    if symbol and "symbol" not in errors and not _SYMBOL_RE.match(symbol):
        errors["symbol"] = ("Chữ viết tắt trong số, ký hiệu chỉ gồm chữ in hoa, chữ số, «&», «.» hoặc «-», "
                            f"không có dấu cách (ví dụ SKHCN); «{symbol}» không hợp lệ.")
    unit = str(data.get("drafting_unit") or "").strip()
    if unit and "drafting_unit" not in errors and " " in unit:
        errors["drafting_unit"] = f"Đơn vị soạn thảo ghi bằng chữ viết tắt, không có dấu cách (ví dụ QLKH); «{unit}» không hợp lệ."
    form = data.get("signer_form", "")
    if form not in SIGNER_FORMS:
        errors["signer_form"] = (f"Hình thức ký «{form}» không hợp lệ; chọn một trong: "
                                 + ", ".join(f"«{k}»" if k else "«» (ký trực tiếp)" for k in SIGNER_FORMS) + ".")
    province = str(data.get("province") or "").strip()
    if province and "province" not in errors:
        from piiplan.reference import ReferenceDataError, resolve_province

        try:
            resolve_province(province)
        except ReferenceDataError:
            errors["province"] = f"Không có tỉnh, thành phố «{province}» trong danh mục."
    return errors


def from_dict(data: dict) -> Organisation:
    """An organisation from a validated dict (raises ``ValueError`` with the Vietnamese messages)."""
    errors = validate(data)
    if errors:
        raise ValueError("; ".join(errors.values()))
    known = {f.name for f in fields(Organisation)}
    return Organisation(**{k: str(v).strip() for k, v in data.items() if k in known})
