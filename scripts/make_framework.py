"""Regenerate ``src/piiplan/data/frameworks/pii-2025.csv`` from the shared reference list.

Usage::

    python scripts/make_framework.py [REFERENCE_CSV] [OUT_CSV]

Defaults: ``/work/shared/reference/pii/indicators-2025.csv`` (or ``$PIIPLAN_PII_REFERENCE``) and the
package data file. The output is deterministic, so re-running it on the same reference file
reproduces the shipped CSV byte for byte (checked by ``tests/data/test_framework_file.py`` when the
reference file is present).

The ``source_vi`` column (the data source in Vietnamese, shown to users; ``source`` keeps the English
original of the reference list) comes from ``SOURCE_VI`` below: a new source in the reference list
stops the script until it is translated. The statistics office appears under its 2025 name, Cục
Thống kê (formerly Tổng cục Thống kê, GSO).

The ``merge`` column (how an indicator is carried across the 2025 merger of 63 provinces into 34) is
an editorial decision that the reference file does not hold; it is kept in ``MERGE_RULES`` below and
explained in ``docs/data.md``.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = Path(
    os.environ.get("PIIPLAN_PII_REFERENCE", "/work/shared/reference/pii/indicators-2025.csv")
)
DEFAULT_OUT = ROOT / "src" / "piiplan" / "data" / "frameworks" / "pii-2025.csv"

COLUMNS = [
    "code", "parent", "level", "name_vi", "name_en", "unit", "direction", "weight",
    "source", "source_vi", "confidence", "merge", "note",
]

# Vietnamese name of each data source in the reference list (English original → shown to users).
SOURCE_VI = {
    "Ministry of Home Affairs (PAR INDEX)": "Bộ Nội vụ (Chỉ số CCHC – PAR INDEX)",
    "UNDP/CECODES (PAPI)": "UNDP/CECODES (Chỉ số PAPI)",
    "Provincial DOST, with evidence documents (probable)": "Sở KH&CN tỉnh, kèm tài liệu minh chứng (dự kiến)",
    "VCCI (PCI survey)": "VCCI (khảo sát PCI)",
    "GSO enterprise survey": "Cục Thống kê (điều tra doanh nghiệp)",
    "GSO enterprise data": "Cục Thống kê (số liệu doanh nghiệp)",
    "IP Viet Nam (IPVN)": "Cục Sở hữu trí tuệ (IP Việt Nam)",
    "MOST / provincial DOST": "Bộ KH&CN / Sở KH&CN tỉnh",
    "GSO": "Cục Thống kê",
    "GSO Labour Force Survey": "Cục Thống kê (điều tra lao động việc làm)",
    "Ministry of Education and Training": "Bộ Giáo dục và Đào tạo",
    "Ministry of Education and Training / provincial DOET": "Bộ Giáo dục và Đào tạo / Sở GD&ĐT tỉnh",
    "Ministry of Education and Training / GSO": "Bộ Giáo dục và Đào tạo / Cục Thống kê",
    "MOF / provincial DOST": "Bộ Tài chính / Sở KH&CN tỉnh",
    "MOST R&D survey": "Bộ KH&CN (điều tra nghiên cứu và phát triển)",
    "MOST (DTI; formerly MIC)": "Bộ KH&CN (Chỉ số chuyển đổi số DTI; trước đây Bộ TT&TT)",
    "MOST (formerly MIC) / VNNIC": "Bộ KH&CN (trước đây Bộ TT&TT) / Trung tâm Internet Việt Nam (VNNIC)",
    "National Public Service Portal": "Cổng Dịch vụ công quốc gia",
    "EVN / GSO": "Tập đoàn Điện lực Việt Nam (EVN) / Cục Thống kê",
    "MAE (formerly MONRE) / GSO": "Bộ Nông nghiệp và Môi trường (trước đây Bộ TN&MT) / Cục Thống kê",
    "MOF (formerly MPI) / GSO": "Bộ Tài chính (trước đây Bộ KH&ĐT) / Cục Thống kê",
    "State Bank of Vietnam": "Ngân hàng Nhà nước Việt Nam",
    "GSO / National Business Registration Portal": "Cục Thống kê / Cổng thông tin quốc gia về đăng ký doanh nghiệp",
    "National Business Registration Portal": "Cổng thông tin quốc gia về đăng ký doanh nghiệp",
    "STAMEQ / provincial DOST": "Ủy ban Tiêu chuẩn Đo lường Chất lượng quốc gia (STAMEQ) / Sở KH&CN tỉnh",
    "Provincial DOST": "Sở KH&CN tỉnh",
    "Industrial zone management boards": "Ban quản lý các khu công nghiệp",
    "Industrial zone management boards / GSO": "Ban quản lý các khu công nghiệp / Cục Thống kê",
    "MAE (plant variety protection)": "Bộ Nông nghiệp và Môi trường (bảo hộ giống cây trồng)",
    "OCOP programme (MAE)": "Chương trình OCOP (Bộ Nông nghiệp và Môi trường)",
    "GSO / Customs": "Cục Thống kê / Cục Hải quan",
    "Annual poor-household review": "Kết quả rà soát hộ nghèo hằng năm",
    "GSO (VHLSS)": "Cục Thống kê (khảo sát mức sống dân cư – VHLSS)",
    "GSO (provincial HDI)": "Cục Thống kê (chỉ số phát triển con người HDI cấp tỉnh)",
}

# Carry-over rule per indicator (see docs/data.md, "Carrying 63-province data onto the 34").
#   sum                 the indicator is a total (or a share of a national total): add the parts
#   popmean             an index or survey score: population-weighted mean (an approximation)
#   wmean:<denominator> a rate or per-capita value: mean weighted by its denominator
MERGE_RULES = {
    "1.1.1": "popmean", "1.1.2": "popmean", "1.1.3": "popmean",
    "1.2.1": "popmean", "1.2.2": "popmean", "1.2.3": "popmean", "1.2.4": "popmean",
    "2.1.1": "popmean",
    "2.1.2": "wmean:labour",
    "2.1.3": "wmean:population",
    "2.1.4": "wmean:population",
    "2.2.1": "wmean:population",
    "2.2.2": "wmean:grdp",
    "2.2.3": "wmean:population",
    "3.1.1": "popmean",
    "3.1.2": "wmean:population",
    "3.1.3": "wmean:population",
    "3.2.1": "wmean:population",
    "3.2.2": "wmean:population",
    "4.1.1": "wmean:grdp",
    "4.1.2": "sum",
    "4.1.3": "wmean:grdp",
    "4.1.4": "sum",
    "4.2.1": "sum",
    "4.2.2": "wmean:population",
    "4.2.3": "wmean:population",
    "5.1.1": "wmean:enterprises",
    "5.1.2": "wmean:enterprises",
    "5.2.1": "wmean:enterprises",
    "5.2.2": "wmean:enterprises",
    "5.3.1": "wmean:enterprises",
    "5.3.2": "wmean:enterprises",
    "5.4.1": "wmean:enterprises",
    "5.4.2": "wmean:population",
    "5.5.1": "wmean:grdp",
    "5.5.2": "wmean:enterprises",
    "6.1.1": "wmean:population",
    "6.1.2": "wmean:population",
    "6.2.1": "wmean:population",
    "6.2.2": "wmean:enterprises",
    "6.2.3": "wmean:population",
    "6.2.4": "wmean:population",
    "6.3.1": "wmean:enterprises",
    "6.3.2": "wmean:enterprises",
    "7.1.1": "wmean:grdp",
    "7.1.2": "wmean:population",
    "7.1.3": "wmean:grdp",
    "7.1.4": "wmean:grdp",
    "7.2.1": "wmean:population",
    "7.2.2": "wmean:population",
    "7.2.3": "wmean:population",
    "7.2.4": "popmean",
}

INPUT_PILLARS = {"1", "2", "3", "4", "5"}

TOP_NODES = [
    # code, parent, level, name_vi, name_en, note
    ("INPUT", "PII", 4, "Chỉ số thành phần đầu vào", "Input sub-index",
     "Mean of pillars 1-5, as in the GII structure the PII follows (see the reference method notes)."),
    ("OUTPUT", "PII", 4, "Chỉ số thành phần đầu ra", "Output sub-index",
     "Mean of pillars 6-7, as in the GII structure the PII follows (see the reference method notes)."),
    ("PII", "", 5, "Chỉ số đổi mới sáng tạo cấp địa phương", "Provincial Innovation Index",
     "Mean of the Input and Output sub-indices; checked on Huế 2025 ((51.50 + 47.23) / 2 = 49.37) "
     "and Sóc Trăng 2023 ((34.27 + 29.35) / 2 = 31.81)."),
]


def _direction(sign: str) -> str:
    sign = sign.strip()
    if sign in {"+", "1", "+1"}:
        return "1"
    if sign in {"-", "−", "-1"}:
        return "-1"
    raise ValueError(f"unknown direction {sign!r}")


def _source_vi(code: str, source: str) -> str:
    try:
        return SOURCE_VI[source.strip()]
    except KeyError:
        raise KeyError(f"no Vietnamese name for the data source of {code}: {source!r} (add it to SOURCE_VI)")


def build_rows(reference: list[dict[str, str]]) -> list[dict[str, str]]:
    """Framework rows (indicators first, then sub-pillars, pillars, sub-indices, index)."""
    indicators, sub_pillars, pillars = [], {}, {}
    for row in reference:
        code = row["code"].strip()
        if code not in MERGE_RULES:
            raise KeyError(f"no merge rule for indicator {code}")
        indicators.append({
            "code": code, "parent": row["subpillar_code"], "level": "1",
            "name_vi": row["indicator_vi"], "name_en": row["indicator_en"], "unit": row["unit"],
            "direction": _direction(row["direction"]), "weight": "1",
            "source": row["data_source"], "source_vi": _source_vi(code, row["data_source"]),
            "confidence": row["confidence"],
            "merge": MERGE_RULES[code], "note": row["evidence"],
        })
        sp = row["subpillar_code"]
        if sp not in sub_pillars:
            provisional = "tên tạm" in row["subpillar_vi"]
            sub_pillars[sp] = {
                "code": sp, "parent": row["pillar_code"], "level": "2",
                "name_vi": row["subpillar_vi"], "name_en": row["subpillar_en"], "unit": "",
                "direction": "", "weight": "1", "source": "", "source_vi": "",
                "confidence": "inferred" if provisional else "name-confirmed", "merge": "",
                "note": ("Name provisional; the layout of 18 groups is inferred from the published "
                         "group total and the codes in the Lạng Sơn 2026 plan.") if provisional else
                        ("Name published; code inferred from the published group total and the "
                         "codes in the Lạng Sơn 2026 plan."),
            }
        p = row["pillar_code"]
        if p not in pillars:
            pillars[p] = {
                "code": p, "parent": "INPUT" if p in INPUT_PILLARS else "OUTPUT", "level": "3",
                "name_vi": row["pillar_vi"], "name_en": row["pillar_en"], "unit": "",
                "direction": "", "weight": "1", "source": "", "source_vi": "",
                "confidence": "confirmed", "merge": "",
                "note": "Published pillar of the PII (7 pillars: 1-5 inputs, 6-7 outputs).",
            }
    top = [
        {"code": c, "parent": parent, "level": str(level), "name_vi": vi, "name_en": en,
         "unit": "", "direction": "", "weight": "1", "source": "", "source_vi": "",
         "confidence": "confirmed", "merge": "", "note": note}
        for c, parent, level, vi, en, note in TOP_NODES
    ]
    return indicators + list(sub_pillars.values()) + list(pillars.values()) + top


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    reference = Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    with reference.open(encoding="utf-8", newline="") as fh:
        rows = build_rows(list(csv.DictReader(fh)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(rows), encoding="utf-8", newline="")
    print(f"wrote {out} ({len(rows)} nodes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
