"""Charts embedded in the documents (matplotlib, Agg back-end, fonts that carry Vietnamese)."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from piiplan.reports.formatting import format_number  # noqa: E402
from piiplan.reports.model import PillarResult  # noqa: E402

FONTS = ["DejaVu Sans", "Liberation Sans"]
PROVINCE_COLOUR = "#1f4e79"
AVERAGE_COLOUR = "#bfbfbf"


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def pillar_chart_png(pillars: list[PillarResult], unit: str, *, width_in: float = 6.3,
                     height_in: float = 3.5, dpi: int = 200) -> bytes:
    """Horizontal bars: the unit's pillar scores beside the national average. Returns PNG bytes."""
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": FONTS, "font.size": 8,
                         "svg.hashsalt": "piiplan"}):
        fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
        labels = [_wrap(f"{p.code}. {p.name}") for p in pillars][::-1]
        scores = [float("nan") if p.score is None else p.score for p in pillars][::-1]
        avgs = [float("nan") if p.national_average is None else p.national_average for p in pillars][::-1]
        y = range(len(pillars))
        h = 0.38
        ax.barh([i + h / 2 for i in y], scores, height=h, color=PROVINCE_COLOUR, label=unit)
        ax.barh([i - h / 2 for i in y], avgs, height=h, color=AVERAGE_COLOUR, label="Trung bình cả nước")
        for i, s in zip(y, scores):
            if not math.isnan(s):
                ax.text(s + 0.5, i + h / 2, format_number(s, 1), va="center", fontsize=7)
        ax.set_yticks(list(y), labels)
        ax.set_xlabel("Điểm (0–100)")
        finite = [v for v in scores + avgs if not math.isnan(v)]
        ax.set_xlim(0, max(10.0, max(finite, default=0) * 1.15))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False, fontsize=7)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        plt.close(fig)
    return buf.getvalue()
