"""The seeded generator of the demo panel: 34 provinces × 2023–2025 × the 52 PII 2025 indicators.

``generate(seed)`` returns a :class:`Panel`; ``write(panel, out_dir)`` writes exactly the files shipped
in ``src/piiplan/data/demo/``. All randomness comes from one ``numpy.random.Generator`` seeded with
``seed`` and drawn in a fixed order, and every number is written with a fixed number of decimals, so
the same seed gives the same bytes.

Steps (2025 first, then back in time):
0. the derived indicators (amounts, GDP shares, income; ``derived``) in raw units from GRDP and
   population, and the engine's scores of them, which the calibration keeps fixed;
1. the missing cells of 2025 (about 2 %, never a leader's cell nor the focus province's);
2. pillar targets per province (``design.pillar_targets``) and structured scores (``design.base_scores``);
3. calibration in normalised space (``calibrate``), the focus province last;
4. raw values: ``lo + (hi − lo) · score / 100`` per indicator (``demo-spec/indicators.csv``), so the
   engine's min-max step returns the designed scores; every 2025 column is checked to pass COINr's
   skewness/kurtosis test, so the default outlier treatment leaves it alone;
5. 2024 and 2023: each value divided by the indicator's yearly trend with a small random change,
   kept within the physical bounds, with their own 2 % missing cells;
6. denominators per year: population, GRDP, area, enterprises (from 4.2.2) and employed labour
   (from 7.2.2), consistent with the indicator values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from piiplan import reference
from piiplan.demo import DEFAULT_SEED, FRAMEWORK, SYNTHETIC_LABEL, derived, design
from piiplan.demo.calibrate import (FIXED, CalibrationError, FocusPlan, anchors, calibrate_focus, calibrate_others,
                                    fit_to_reach, reach)
from piiplan.demo.spec import Spec, load_spec, target_list
from piiplan.engine import Dataset, Framework, load_framework
from piiplan.engine.treat import DEFAULTS, skew_kurt_columns

YEARS = (2023, 2024, 2025)
FOCUS = "Lạng Sơn"
MISSING_SHARE = 0.02
MAX_ATTEMPTS = 20
YOY_SD = 0.035                    # relative size of the random year-on-year change
YOY_RANGE_SHARE = 0.05            # … at most this share of the indicator's 2025 range
POP_GROWTH, GRDP_GROWTH = 0.009, 0.075
UNIT_COLUMNS = ("name", "kind", "region")
DENOMINATORS = {  # name → (Vietnamese description, decimals)
    "population": ("Dân số trung bình (nghìn người)", 1),
    "grdp": ("GRDP theo giá hiện hành (nghìn tỷ đồng)", 1),
    "area": ("Diện tích (km²)", 1),
    "enterprises": ("Số doanh nghiệp đang hoạt động", 0),
    "labour": ("Lao động có việc làm (nghìn người)", 1),
}


@dataclass
class Panel:
    seed: int
    attempt: int                        # which random stream (seed, attempt) calibrated
    framework: Framework
    units: pd.DataFrame                 # index unit: name, kind, region
    raw: dict[int, pd.DataFrame]        # year → units × indicators (NaN = missing)
    denominators: pd.DataFrame          # unit, name, year, value
    scores_2025: pd.DataFrame           # the designed normalised scores
    decimals: pd.Series
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)

    def dataset(self) -> Dataset:
        return Dataset(self.units.copy(), long_values(self.raw), self.denominators.copy(),
                       source=f"piiplan demo-data --seed {self.seed}")


def long_values(raw: dict[int, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for year in sorted(raw):
        w = raw[year]
        long = w.rename_axis(index="unit", columns="indicator").stack(future_stack=True).rename("value")
        long = long.reset_index()
        long["year"] = int(year)
        parts.append(long[["unit", "indicator", "year", "value"]])
    return pd.concat(parts, ignore_index=True)


def _missing_mask(rng: np.random.Generator, lay: design.Layout, n_units: int, protect: np.ndarray) -> np.ndarray:
    """About MISSING_SHARE of the cells, at most one per (unit, sub-pillar), never where ``protect``."""
    n_ind = len(lay.indicators)
    want = int(round(MISSING_SHARE * n_units * n_ind))
    mask = np.zeros((n_units, n_ind), dtype=bool)
    used = set()
    for cell in rng.permutation(n_units * n_ind):
        r, j = divmod(int(cell), n_ind)
        if protect[r, j] or (r, lay.sub_of[j]) in used:
            continue
        mask[r, j] = True
        used.add((r, lay.sub_of[j]))
        if mask.sum() == want:
            break
    return mask


def _fixed_io(spec: Spec) -> dict[str, tuple[float, float]]:
    """(Input, Output) pinned for units with published sub-indices, nudged (≤ 0.003) so that all three
    published figures — Input, Output and PII — are what a two-decimal display shows."""
    t = spec.targets[spec.targets["kind"] == "score"]
    out = {}
    for unit in t["unit"].unique():
        rows = t[t["unit"] == unit].set_index("code")["value"].astype(float)
        if {"INPUT", "OUTPUT", "PII"} <= set(rows.index):
            e = float(np.clip((2 * rows["PII"] - rows["INPUT"] - rows["OUTPUT"]) / 2, -0.003, 0.003))
            out[unit] = (rows["INPUT"] + e, rows["OUTPUT"] + e)
    return out


def _pillar_leaders(spec: Spec) -> dict[str, str]:
    t = spec.targets
    rows = t[(t["kind"] == "rank") & (t["value"] == "1") & t["code"].isin(design.INPUT_PILLARS
                                                                           + design.OUTPUT_PILLARS)]
    return dict(zip(rows["code"], rows["unit"]))


def _round(X: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    out = X.copy()
    for j, d in enumerate(decimals):
        out[:, j] = np.round(X[:, j], int(d))
    return out


def design_2025(seed: int, fw: Framework, spec: Spec, units: list[str], rng: np.random.Generator,
                fixed: np.ndarray):
    """Scores (units × indicators, NaN = missing) and the structured scores behind the missing cells.
    ``fixed``: the engine's scores of the derived indicators (their columns; NaN elsewhere)."""
    lay = design.layout(fw)
    ind = spec.indicators
    row = {u: i for i, u in enumerate(units)}
    focus = row[FOCUS]
    is_fixed = ~np.isnan(fixed).all(axis=0)
    leaders = np.array([int(np.nanargmax(fixed[:, j])) if is_fixed[j] else row[u]
                        for j, u in enumerate(ind["leader"])])
    protect = np.zeros((len(units), len(lay.indicators)), dtype=bool)
    protect[focus] = True
    protect[leaders, np.arange(len(lay.indicators))] = True
    protect[:, is_fixed] = True
    # the focus province's strengths and weaknesses are ranks among all 34: keep those columns complete
    for code in target_list(spec, "strengths", FOCUS) + target_list(spec, "weaknesses", FOCUS):
        protect[:, lay.indicators.index(code)] = True
    missing = _missing_mask(rng, lay, len(units), protect)
    pii = spec.target_pii.reindex(units).to_numpy(dtype=float)
    P = design.pillar_targets(units, pii, rng, _fixed_io(spec), _pillar_leaders(spec))
    B = design.base_scores(P, lay, ind, rng)
    B[:, is_fixed] = fixed[:, is_fixed]
    A = anchors(B, missing, leaders, focus, rng,
                [lay.indicators.index(c) for c in target_list(spec, "weaknesses", FOCUS)[:1]])
    A[:, is_fixed] = FIXED
    S0 = np.where(A == 1, 100.0, np.where(A == -1, 0.0, B))
    S0[missing] = np.nan
    P = design.lift_leaders(design.natural_targets(S0, P, lay), units, _pillar_leaders(spec))
    P = fit_to_reach(P, *reach(A, missing, lay, B), skip=focus)
    S = calibrate_others(B, P, missing, A, lay, focus)
    plan = FocusPlan(row=focus, strengths=target_list(spec, "strengths", FOCUS),
                     weaknesses=target_list(spec, "weaknesses", FOCUS),
                     above=target_list(spec, "above_mean", FOCUS), pii=float(pii[focus]))
    q = design.expit(rng.normal(0.0, 0.7, len(lay.indicators)))
    S = calibrate_focus(S, lay, plan, leaders, missing, q, is_fixed)
    return S, B, missing


def check_treatment_free(S: np.ndarray, codes: list[str]) -> None:
    """Every designed column must pass COINr's skew/kurtosis test (else the engine would treat it)."""
    sk, ku = skew_kurt_columns(S)
    d = DEFAULTS["coinr"]
    bad = [c for c, s, k in zip(codes, sk, ku) if not (abs(s) < d["skew"] or k < d["kurt"])]
    if bad:
        raise ValueError(f"designed 2025 scores would be treated for outliers: {bad}")


def generate(seed: int = DEFAULT_SEED, framework: Framework | None = None) -> Panel:
    """The panel for ``seed``. A draw whose calibration cannot reach every target is redrawn with the
    next stream ``(seed, attempt)``, up to MAX_ATTEMPTS; which attempt succeeded is recorded."""
    fw = framework or load_framework(FRAMEWORK)
    spec = load_spec(fw)
    problems = []
    for attempt in range(MAX_ATTEMPTS):
        try:
            panel = _generate_once(seed, attempt, fw, spec)
        except (CalibrationError, ValueError) as exc:
            problems.append(f"attempt {attempt}: {exc}")
            continue
        if panel.calibration["ok"].all():
            return panel
        missed = panel.calibration.loc[~panel.calibration["ok"], ["kind", "unit", "code", "year"]]
        problems.append(f"attempt {attempt}: missed {missed.to_dict('records')}")
    raise CalibrationError(f"seed {seed}: no calibrated panel in {MAX_ATTEMPTS} attempts:\n"
                           + "\n".join(problems))


def focus_ranks(spec: Spec, codes, n_units: int) -> dict[str, tuple[int, int]]:
    """The rank interval (1 = best) the targets ask of the focus province on each of ``codes``."""
    strengths = target_list(spec, "strengths", FOCUS)
    weaknesses = target_list(spec, "weaknesses", FOCUS)
    out = {}
    for code in codes:
        if code in strengths:
            out[code] = (strengths.index(code) + 1,) * 2
        elif code in weaknesses:
            out[code] = (n_units - weaknesses.index(code),) * 2
        else:
            out[code] = FocusPlan.free_ranks
    return out


def economy(ref: pd.DataFrame, year: int = 2025) -> derived.Economy:
    """The denominators of ``year`` as written to denominators.csv."""
    pop = (ref["population_2024"].astype(float) * (1 + POP_GROWTH) ** (year - 2024)).round(1)
    grdp = (ref["grdp_2024"].astype(float) * (1 + GRDP_GROWTH) ** (year - 2024)).round(1)
    return derived.Economy(grdp.to_numpy(), pop.to_numpy(), (ref["kind"] == derived.CITY_KIND).to_numpy())


def _generate_once(seed: int, attempt: int, fw: Framework, spec: Spec) -> Panel:
    ref = reference.provinces()
    units = list(ref.index)
    rng = np.random.default_rng([seed, attempt])
    ind = spec.indicators
    dspec = derived.load_derived()
    dcols = [fw.indicators.index(c) for c in dspec.index]
    draw = derived.derived_2025(dspec, ind["decimals"], ind["leader"], economy(ref),
                                np.random.default_rng([seed, attempt, 1]), units.index(FOCUS),
                                focus_ranks(spec, dspec.index, len(units)), units)
    Xd = np.column_stack([draw[c] for c in dspec.index])
    fixed = np.full((len(units), len(fw.indicators)), np.nan)
    fixed[:, dcols] = derived.engine_scores(Xd, list(dspec.index))[0]
    S, B, missing = design_2025(seed, fw, spec, units, rng, fixed)
    free_cols = [j for j in range(len(fw.indicators)) if j not in dcols]
    check_treatment_free(S[:, free_cols], [fw.indicators[j] for j in free_cols])
    lo, hi = np.array(ind["lo"], dtype=float), np.array(ind["hi"], dtype=float)
    lo[dcols], hi[dcols] = Xd.min(axis=0), Xd.max(axis=0)
    dec = ind["decimals"].to_numpy(int)
    full = np.where(missing, B, S)                    # structured values behind the missing cells
    raw_full = {2025: _round(lo + (hi - lo) * full / 100.0, dec)}
    raw_full[2025][:, dcols] = Xd
    protect = np.zeros_like(missing)
    protect[:, dcols] = True                          # GSO publishes GRDP and income for every province
    shares = [fw.indicators.index(c) for c in dspec.index[dspec["basis"] == "share"]]
    blo = ind["bound_lo"].to_numpy(float)
    bhi = np.where(np.isnan(ind["bound_hi"].to_numpy(float)), np.inf, ind["bound_hi"].to_numpy(float))
    trend = ind["trend"].to_numpy(float)
    masks = {2025: missing}
    lay = design.layout(fw)
    # relative year-on-year noise: YOY_SD, less for indicators whose spread is narrow for their level
    # (HDI, PCI, PAR INDEX move by a percent or two a year, not by a tenth of their range)
    sd = np.minimum(YOY_SD, YOY_RANGE_SHARE * (hi - lo) / np.abs(raw_full[2025]).mean(axis=0))
    for year in sorted(YEARS, reverse=True)[1:]:
        nxt = raw_full[year + 1]
        change = np.exp(rng.normal(0.0, 1.0, nxt.shape) * sd)
        prev = np.clip(nxt / (1.0 + trend) * change, blo, bhi)
        for j in shares:                              # shares of a national total sum to 100 every year
            prev[:, j] *= 100.0 / prev[:, j].sum()
        raw_full[year] = _round(prev, dec)
        masks[year] = _missing_mask(rng, lay, len(units), protect)
    raw = {y: pd.DataFrame(np.where(masks[y], np.nan, raw_full[y]), index=pd.Index(units, name="unit"),
                           columns=fw.indicators) for y in YEARS}
    unit_table = ref[list(UNIT_COLUMNS)].copy()
    unit_table.index.name = "unit"
    dens = _denominators(ref, {y: pd.DataFrame(raw_full[y], index=units, columns=fw.indicators) for y in YEARS})
    panel = Panel(seed, attempt, fw, unit_table, raw, dens,
                  pd.DataFrame(S, index=pd.Index(units, name="unit"), columns=fw.indicators),
                  pd.Series(dec, index=fw.indicators))
    from piiplan.demo.check import evaluate

    panel.calibration = evaluate(panel.dataset(), fw, spec.targets)
    return panel


def _denominators(ref: pd.DataFrame, full: dict[int, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        pop = (ref["population_2024"].astype(float) * (1 + POP_GROWTH) ** (year - 2024)).round(1)
        grdp = ref["grdp_2024"].astype(float) * (1 + GRDP_GROWTH) ** (year - 2024)
        vals = {"population": pop, "grdp": grdp.round(1), "area": ref["area_km2"].astype(float),
                "enterprises": (full[year]["4.2.2"] * pop).round(0),
                "labour": (full[year]["7.2.2"] / 100.0 * pop).round(1)}
        for name, series in vals.items():
            for unit, v in series.items():
                rows.append((unit, name, year, float(v)))
    return pd.DataFrame(rows, columns=["unit", "name", "year", "value"])


# ---- writing -----------------------------------------------------------------------------------------
def _fmt(v: float, d: int) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.{int(d)}f}"


def write(panel: Panel, out_dir: str | Path) -> list[Path]:
    """Write values.csv, units.csv, denominators.csv, calibration.csv, calibration.md, dataset.json."""
    from piiplan.demo.check import calibration_markdown

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["unit,indicator,year,value"]
    for year in YEARS:
        w = panel.raw[year]
        for unit in w.index:
            for code in w.columns:
                lines.append(f"{_csv(unit)},{code},{year},{_fmt(w.at[unit, code], panel.decimals[code])}")
    files = {"values.csv": "\n".join(lines) + "\n"}
    u = panel.units.reset_index()
    files["units.csv"] = "\n".join([",".join(u.columns)] + [",".join(_csv(str(v)) for v in r)
                                                             for r in u.itertuples(index=False)]) + "\n"
    dl = ["unit,name,year,value"]
    for r in panel.denominators.itertuples(index=False):
        dl.append(f"{_csv(r.unit)},{r.name},{r.year},{_fmt(r.value, DENOMINATORS[r.name][1])}")
    files["denominators.csv"] = "\n".join(dl) + "\n"
    files["calibration.csv"] = calibration_csv(panel.calibration)
    files["calibration.md"] = calibration_markdown(panel.calibration, panel.seed, panel.attempt)
    meta = {"label": SYNTHETIC_LABEL, "generator": "piiplan demo-data", "seed": panel.seed,
            "attempt": panel.attempt,
            "framework": FRAMEWORK, "years": list(YEARS), "focus": FOCUS,
            "denominators": {k: v[0] for k, v in DENOMINATORS.items()}}
    files["dataset.json"] = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    paths = []
    for name, text in files.items():
        p = out / name
        p.write_bytes(text.encode("utf-8"))
        paths.append(p)
    return paths


def calibration_csv(cal: pd.DataFrame) -> str:
    lines = ["kind,unit,code,year,target,computed,tolerance,ok,source"]
    for r in cal.itertuples(index=False):
        lines.append(",".join(_csv(str(v)) for v in (r.kind, r.unit, r.code, r.year, r.target, r.computed,
                                                      r.tolerance, "yes" if r.ok else "no", r.source)))
    return "\n".join(lines) + "\n"


def _csv(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
