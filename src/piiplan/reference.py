"""Reference data shipped with piiplan: provinces, former provinces, agencies, communes, frameworks.

Everything here is read from package data under ``src/piiplan/data/`` (CSV/YAML); nothing about a
particular province is written in code. Loaders that concern one province take it as a parameter
(its name, code or slug), so a workspace serving another province only needs a data folder
``data/provinces/<slug>/``.

Pure pandas; no Django.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

__all__ = [
    "ReferenceDataError",
    "agencies",
    "available_frameworks",
    "communes",
    "former_provinces",
    "fold",
    "former_weights",
    "framework_path",
    "province_profile",
    "province_slug",
    "provinces",
    "match_unit",
    "resolve_province",
    "successor_map",
]

# Columns of the former provinces that are summed onto their successor by `provinces()`.
SUMMED_COLUMNS = ("population_2024", "area_km2", "grdp_2024")


class ReferenceDataError(LookupError):
    """A reference-data lookup failed; ``str(error)`` is a Vietnamese message for the user."""


def _data_dir() -> Path:
    return Path(str(resources.files("piiplan").joinpath("data")))


def _read_csv(relative: str) -> pd.DataFrame:
    return _read_csv_cached(relative).copy()


@functools.lru_cache(maxsize=None)
def _read_csv_cached(relative: str) -> pd.DataFrame:
    path = _data_dir() / relative
    # Codes and names stay text; keep_default_na=False so an empty note is "" rather than NaN.
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def fold(text: str) -> str:
    """Vietnamese text without its marks: ``"Đắk Lắk"`` → ``"Dak Lak"`` (``đ`` → ``d``, which Unicode
    does not decompose). The one rule for comparing and ordering names with and without diacritics."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def province_slug(name: str) -> str:
    """ASCII slug of a province name: ``"Lạng Sơn"`` → ``"lang-son"``.

    Diacritics are removed (:func:`fold`), letters lowered, and every run of other characters
    becomes one hyphen.
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(str(name).strip()).lower()).strip("-")


@functools.lru_cache(maxsize=None)
def _former_table() -> pd.DataFrame:
    df = _read_csv_cached("reference/former-provinces.csv").copy()
    for col in SUMMED_COLUMNS:
        df[col] = pd.to_numeric(df[col])
    return df.set_index("name")


def former_provinces() -> pd.DataFrame:
    """The 63 provinces before the 2025 merger, indexed by name.

    Columns: ``successor`` (one of the 34), ``population_2024`` (thousand people, approximate),
    ``area_km2``, ``grdp_2024`` (trillion VND, current prices, approximate), ``note``.
    """
    return _former_table().copy()


def former_weights() -> pd.DataFrame:
    """Carry-over weights of the 63 former provinces (approximate, 2024), indexed by name.

    Columns ``population`` (thousand), ``area`` (km²), ``grdp`` (trillion VND): the names used by
    the framework's ``merge`` rules (``popmean``, ``wmean:population``, ``wmean:grdp``). Add
    ``enterprises`` / ``labour`` with `piiplan.engine.merger.derive_weight`.
    """
    table = _former_table()
    return pd.DataFrame({
        "population": table["population_2024"],
        "area": table["area_km2"],
        "grdp": table["grdp_2024"],
    })


def successor_map() -> dict[str, str]:
    """Former province name → the name of the province it belongs to since 2025."""
    return _former_table()["successor"].to_dict()


@functools.lru_cache(maxsize=None)
def _province_table() -> pd.DataFrame:
    df = _read_csv_cached("reference/provinces-2025.csv").copy().set_index("code")
    sums = _former_table().groupby("successor")[list(SUMMED_COLUMNS)].sum()
    return df.join(sums, how="left")


def provinces() -> pd.DataFrame:
    """The 34 provinces and centrally-run cities since 2025, indexed by code (the Vietnamese name).

    Columns: ``name``, ``kind`` (tỉnh / thành phố), ``region``, ``formed_from`` (former provinces,
    ``"; "``-separated), ``aliases`` (other spellings, ``"; "``-separated), and ``population_2024``, ``area_km2``, ``grdp_2024``: the sums over the
    former provinces (approximate, see ``docs/data.md``).
    """
    return _province_table().copy()


# Administrative prefixes people write before a name ("Tỉnh Lạng Sơn", "TP. Hồ Chí Minh").
_PREFIXES = ("thanh-pho-", "tp-", "tinh-")


def _key(name: str) -> str:
    """Comparison key: the slug without an administrative prefix."""
    slug = province_slug(name)
    for prefix in _PREFIXES:
        if slug.startswith(prefix) and len(slug) > len(prefix):
            return slug[len(prefix):]
    return slug


def resolve_province(province: str) -> str:
    """The code of one of the 34 provinces, given its code/name, slug or an alias, in any Unicode
    form or case, with or without "Tỉnh" / "Thành phố" / "TP." before it.

    Raises `ReferenceDataError` with a Vietnamese message for an unknown province; the name of a
    former province is answered with its successor's name.
    """
    table = _province_table()
    wanted = _key(province)
    for code, row in table.iterrows():
        aliases = [a for a in str(row.get("aliases", "")).split(";") if a.strip()]
        if wanted in {_key(code), *(_key(a) for a in aliases)}:
            return code
    former = _former_table()
    for name, successor in former["successor"].items():
        if _key(name) == wanted and name != successor:
            raise ReferenceDataError(
                f"“{province}” là tỉnh cũ trước sáp nhập năm 2025, nay thuộc {successor}. "
                f"Hãy dùng tên tỉnh mới: “{successor}”."
            )
    raise ReferenceDataError(
        f"Không tìm thấy tỉnh/thành phố “{province}” trong danh sách 34 tỉnh, thành phố sau sáp nhập."
    )


def match_unit(name: str, units) -> str:
    """The one of ``units`` (codes of a data set) that ``name`` means: the code itself, the name without
    diacritics or in another case ("Lang Son", "LẠNG SƠN"), with "Tỉnh" / "TP." before it, an alias, or —
    for a data set of the 34 provinces — a spelling `resolve_province` knows.

    Raises `ReferenceDataError` with a Vietnamese message: a former province names its successor; any other
    unknown name says it is not in the data.
    """
    units = [str(u) for u in units]
    text = unicodedata.normalize("NFC", str(name or "")).strip()
    if text in units:
        return text
    by_key = {_key(u): u for u in units}
    if _key(text) in by_key:
        return by_key[_key(text)]
    try:
        code = resolve_province(text)
    except ReferenceDataError as exc:
        if "tỉnh cũ" in str(exc):
            raise
        code = None
    if code in units:
        return code
    raise ReferenceDataError(f"Không có tỉnh, thành phố «{text[:60]}» trong số liệu.")


def _province_dir(code: str) -> Path:
    return _data_dir() / "provinces" / province_slug(code)


def province_profile(province: str) -> dict:
    """Names used on documents and in the workspace for one province.

    Keys: ``name``, ``slug``, ``kind``, ``region``, ``code_prefix``, ``issuer`` (e.g.
    "UBND TỈNH LẠNG SƠN"), ``issuer_agency`` (e.g. "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), ``focal_agency``
    (agency code or ``None``), ``place`` (the date line's place name), ``has_agencies``,
    ``has_communes``. Defaults are derived from the province list; ``data/provinces/<slug>/
    province.yaml`` overrides them.
    """
    code = resolve_province(province)
    row = _province_table().loc[code]
    name = str(row["name"])
    kind = str(row["kind"])
    # "Thành phố Hồ Chí Minh" already carries its kind in its name.
    if province_slug(name).startswith(province_slug(kind) + "-"):
        issuer = f"UBND {name.upper()}"
    else:
        issuer = f"UBND {kind.upper()} {name.upper()}"
    folder = _province_dir(code)
    profile = {
        "name": name,
        "slug": province_slug(name),
        "kind": kind,
        "region": str(row["region"]),
        "code_prefix": "".join(w[0] for w in province_slug(name).split("-")).upper(),
        "issuer": issuer,
        "issuer_agency": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "focal_agency": None,
        "place": name,
    }
    yaml_path = folder / "province.yaml"
    if yaml_path.is_file():
        with yaml_path.open(encoding="utf-8") as fh:
            override = yaml.safe_load(fh) or {}
        profile.update({k: v for k, v in override.items() if v is not None})
    profile["has_agencies"] = (folder / "agencies.csv").is_file()
    profile["has_communes"] = (folder / "communes.csv").is_file()
    return profile


def _province_file(province: str, filename: str, what_vi: str) -> pd.DataFrame:
    code = resolve_province(province)
    relative = f"provinces/{province_slug(code)}/{filename}"
    if not (_data_dir() / relative).is_file():
        raise ReferenceDataError(
            f"Chưa có danh sách {what_vi} của {code}: thiếu tệp dữ liệu "
            f"“data/{relative}”."
        )
    return _read_csv(relative)


def agencies(province: str) -> pd.DataFrame:
    """Agencies of a province that take part in its PII plan.

    Columns: ``code`` (short, stable), ``name``, ``kind`` (provincial, central-in-province, press,
    mass-organisation, association), ``note``.
    """
    return _province_file(province, "agencies.csv", "cơ quan, đơn vị")


def communes(province: str) -> pd.DataFrame:
    """Commune-level units (xã, phường) of a province since July 2025.

    Columns: ``code`` (stable, e.g. "LS-XA-001"; "XA" stands for the commune level, wards
    included), ``name``, ``kind`` (xã / phường).
    """
    return _province_file(province, "communes.csv", "xã, phường")


def available_frameworks() -> list[str]:
    """Names of the frameworks shipped as package data (e.g. ``["pii-2025"]``)."""
    folder = _data_dir() / "frameworks"
    return sorted(p.stem for p in folder.iterdir() if p.suffix in {".csv", ".yaml", ".yml"})


def framework_path(name: str = "pii-2025") -> Path:
    """Path of a framework shipped as package data (CSV preferred over YAML)."""
    folder = _data_dir() / "frameworks"
    for suffix in (".csv", ".yaml", ".yml"):
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    known = ", ".join(available_frameworks()) or "không có"
    raise ReferenceDataError(
        f"Không có bộ chỉ số “{name}” trong dữ liệu đi kèm piiplan. Các bộ chỉ số có sẵn: {known}."
    )
