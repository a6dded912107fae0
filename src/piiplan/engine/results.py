"""Results of a build: every stage's table, scores and ranks at every level, and explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from piiplan.engine.framework import Framework
from piiplan.engine.recipe import Recipe
from piiplan.numbers import float_or_none

STAGES = ("raw", "denominated", "imputed", "screened", "treated", "normalised")
RULE_VI = {
    "winhi": "thay giá trị cao bất thường bằng giá trị lớn kế tiếp",
    "winlo": "thay giá trị thấp bất thường bằng giá trị nhỏ kế tiếp",
    "log_CT": "biến đổi logarit log(x − min + 0,01·(max − min))",
    "log_GII": "biến đổi logarit kiểu GII",
}


@dataclass
class Results:
    framework: Framework
    recipe: Recipe
    structure: object
    stages: dict                       # name → (units, array)
    ranks_array: np.ndarray
    extras: dict = field(default_factory=dict)
    groups: pd.DataFrame | None = None
    year: int | None = None

    # ---- tables ------------------------------------------------------------------------------------
    @property
    def units(self) -> list[str]:
        return self.stages["aggregated"][0]

    def stage(self, name: str) -> pd.DataFrame:
        """One stage's units × indicators table; a skipped stage equals the one before it."""
        if name in ("aggregated", "scores"):
            return self.aggregated
        order = [s for s in STAGES if s in self.stages] if name not in self.stages else None
        if order is not None:
            prev = [s for s in STAGES[: STAGES.index(name)] if s in self.stages]
            name = prev[-1]
        units, X = self.stages[name]
        return pd.DataFrame(X, index=pd.Index(units, name="uCode"), columns=self.structure.indicators)

    @cached_property
    def aggregated(self) -> pd.DataFrame:
        units, X = self.stages["aggregated"]
        return pd.DataFrame(X, index=pd.Index(units, name="uCode"), columns=self.structure.codes)

    @property
    def scores(self) -> pd.DataFrame:
        return self.aggregated

    @cached_property
    def ranks(self) -> pd.DataFrame:
        return pd.DataFrame(self.ranks_array, index=self.aggregated.index, columns=self.structure.codes)

    @property
    def treated(self) -> pd.DataFrame:
        return self.stage("treated")

    @property
    def normalised(self) -> pd.DataFrame:
        return self.stage("normalised")

    @cached_property
    def treatment(self) -> pd.DataFrame:
        logs = self.extras.get("treatment") or []
        rows = [{"iCode": e.code, "fired": e.fired, "pass0": e.pass0, "skew0": e.skew0, "kurt0": e.kurt0,
                 "nwin": e.nwin, "pass1": e.pass1, "skew1": e.skew1, "kurt1": e.kurt1, "pass2": e.pass2,
                 "skew2": e.skew2, "kurt2": e.kurt2, "note": e.note} for e in logs]
        return pd.DataFrame(rows).set_index("iCode") if rows else pd.DataFrame()

    @cached_property
    def treated_points(self) -> pd.DataFrame:
        units = self.stages["treated"][0] if "treated" in self.stages else self.units
        out = pd.DataFrame("", index=pd.Index(units, name="uCode"), columns=self.structure.indicators)
        for e in self.extras.get("treatment") or []:
            for i, label in e.points.items():
                out.iat[i, self.structure.indicators.index(e.code)] = label
        return out

    @cached_property
    def weights(self) -> pd.Series:
        st = self.structure
        w = {}
        for k, M in enumerate(st.matrices):
            for i, code in enumerate(st.level_codes[k]):
                w[code] = float(M[i].sum())
        w[st.level_codes[-1][0]] = float(self.framework.nodes.at[st.level_codes[-1][0], "weight"])
        return pd.Series(w, name="weight")

    def level_of(self, code: str) -> int:
        return int(self.framework.nodes.at[code, "level"])

    # ---- summaries ---------------------------------------------------------------------------------
    def mean(self) -> pd.Series:
        """National mean score of every code (over the units present)."""
        return self.aggregated.mean(axis=0, skipna=True)

    def group_means(self, column: str) -> pd.DataFrame:
        if self.groups is None or column not in self.groups.columns:
            raise KeyError(f"Không có cột nhóm «{column}».")
        g = self.groups.reindex(self.aggregated.index)[column]
        return self.aggregated.groupby(g).mean()

    def group_ranks(self, column: str) -> pd.DataFrame:
        from piiplan.engine.rank import rank_within

        g = self.groups.reindex(self.aggregated.index)[column].to_numpy(dtype=object)
        return pd.DataFrame(rank_within(self.aggregated.to_numpy(), g), index=self.aggregated.index,
                            columns=self.aggregated.columns)

    @cached_property
    def efficiency(self) -> pd.Series:
        """Output/Input sub-index ratio (GII efficiency ratio) when both sub-indices exist."""
        cols = self.aggregated.columns
        if "INPUT" in cols and "OUTPUT" in cols:
            return (self.aggregated["OUTPUT"] / self.aggregated["INPUT"]).rename("efficiency")
        return pd.Series(dtype=float, name="efficiency")

    def ranking(self, code: str | None = None) -> pd.DataFrame:
        code = code or self.framework.root
        j = self.structure.codes.index(code)
        units, X = self.stages["aggregated"]
        score, rank = X[:, j], self.ranks_array[:, j]
        # by rank, then score from high to low, missing last; stable (pandas' sort_values, without its cost)
        order = np.lexsort((-score, rank))
        index = pd.Index([units[i] for i in order], name="uCode")
        return pd.DataFrame({"score": score[order], "rank": rank[order]}, index=index)

    # ---- explanation -------------------------------------------------------------------------------
    def shares(self, unit: str) -> dict[str, dict[str, float]]:
        """For arithmetic aggregation: the effective weight of every indicator in every aggregate."""
        st = self.structure
        i = self.units.index(unit)
        X = self.aggregated.to_numpy()[i]
        out: dict[str, dict[str, float]] = {c: {c: 1.0} for c in st.indicators}
        offset = 0
        for k, M in enumerate(st.matrices):
            lower = st.level_codes[k]
            upper = st.level_codes[k + 1]
            vals = X[offset: offset + len(lower)]
            present = ~np.isnan(vals)
            den = present.astype(float) @ M
            for j, parent in enumerate(upper):
                for c_i, child in enumerate(lower):
                    if M[c_i, j] == 0 or not present[c_i] or den[j] == 0:
                        continue
                    s = M[c_i, j] / den[j]
                    for ind, w in out.get(child, {}).items() if child not in st.indicators else [(child, 1.0)]:
                        out.setdefault(parent, {})[ind] = out.get(parent, {}).get(ind, 0.0) + w * s
            offset += len(lower)
        return out

    def explain(self, unit: str, code: str) -> dict:
        """Raw → denominated → imputed → treated (which rule) → normalised → weighted contribution."""
        if unit not in self.units:
            raise KeyError(f"Đơn vị «{unit}» không có trong kết quả.")
        fw = self.framework
        if code not in fw.nodes.index:
            raise KeyError(f"Mã «{code}» không có trong khung chỉ số.")
        st = self.structure
        out = {"unit": unit, "code": code, "name": fw.name_of(code), "level": self.level_of(code),
               "score": float_or_none(self.aggregated.at[unit, code]), "rank": float_or_none(self.ranks.at[unit, code]),
               "n_units": len(self.units), "mean": float_or_none(self.mean()[code])}
        shares = self.shares(unit) if self.recipe.step("aggregate")["method"] == "amean" else {}
        if code in st.indicators:
            j = st.indicators.index(code)
            trail = []
            for stage in STAGES:
                # a step the recipe skips passes the values on unchanged: show it, marked as skipped
                skipped = stage not in self.stages
                units, X = self.stages[stage] if not skipped else (None, None)
                if skipped:
                    v = trail[-1]["value"] if trail else None
                else:
                    v = float_or_none(X[units.index(unit), j]) if unit in units else None
                trail.append({"stage": stage, "value": v, "skipped": skipped})
            out["trail"] = trail
            out["direction"] = int(fw.nodes.at[code, "direction"])
            out["unit_of_measure"] = fw.nodes.at[code, "unit"]
            out["denominator"] = self.extras.get("denominated_by", {}).get(code)
            imp = self.extras.get("imputed_cells")
            iu = self.stages["treated"][0] if "treated" in self.stages else self.units
            out["imputed"] = bool(imp[iu.index(unit), j]) if imp is not None and unit in iu else False
            rule, entry = None, None
            for e in self.extras.get("treatment") or []:
                if e.code == code:
                    entry = e
                    rule = e.points.get(iu.index(unit)) if unit in iu else None
            out["treatment"] = {"indicator_rule": entry.fired if entry else "none",
                                "rule": rule, "rule_vi": RULE_VI.get(rule, "không xử lý"),
                                "skew": float_or_none(entry.skew0) if entry else None,
                                "kurt": float_or_none(entry.kurt0) if entry else None,
                                "nwin": entry.nwin if entry else None}
            contrib = []
            for anc in fw.ancestors(code):
                s = shares.get(anc, {}).get(code)
                contrib.append({"code": anc, "name": fw.name_of(anc), "weight_share": s,
                                "points": None if s is None or out["score"] is None else s * out["score"]})
            out["contributions"] = contrib
        else:
            kids = []
            for child in fw.children(code):
                s = shares.get(code, {})
                share = sum(w for ind, w in s.items() if child == ind or child in fw.ancestors(ind))
                sc = float_or_none(self.aggregated.at[unit, child])
                kids.append({"code": child, "name": fw.name_of(child), "score": sc,
                             "rank": float_or_none(self.ranks.at[unit, child]),
                             "weight_share": share if s else None,
                             "points": share * sc if s and sc is not None else None})
            out["children"] = kids
        return out
