"""Map engine results (and the province reference data) onto the plain report inputs.

Used by the CLI and available to the web app. Conventions: ``IndicatorRow.national_average`` is the mean
of the *raw values* (comparable with the value beside it); ``PillarResult.national_average`` and
``Headline.national_average`` are means of *scores*.
"""

from __future__ import annotations

from datetime import date

from piiplan.analysis.profile import natural_key, strengths_weaknesses
from piiplan.numbers import float_or_none
from piiplan.reports.model import (AgencyTemplate, Headline, IndexPosition, IndicatorRow, Issuer, MinistryForm,
                                   MinistryFormRow, PillarResult, ProvinceProfile, TemplateIndicator,
                                   pillar_task_counts)

HEADLINE_LABELS = {"PII": "Chỉ số PII", "INPUT": "Chỉ số đầu vào", "OUTPUT": "Chỉ số đầu ra"}



def _i(v):
    v = float_or_none(v)
    return None if v is None else int(round(v))


def pillar_codes(fw) -> list[str]:
    """Pillars: the children of the sub-indices when the root has non-numeric children (INPUT, OUTPUT)."""
    top = fw.children(fw.root)
    if top and all(not c.replace(".", "").isdigit() for c in top):
        return sorted((c for t in top for c in fw.children(t)), key=natural_key)
    return sorted(top, key=natural_key)


def pillars_from_results(res, unit: str, tasks=None) -> list[PillarResult]:
    fw = res.framework
    mean = res.aggregated.mean()
    counts = pillar_task_counts(tasks or [])
    out = []
    for code in pillar_codes(fw):
        p = PillarResult(code, fw.name_of(code), float_or_none(res.aggregated.at[unit, code]), _i(res.ranks.at[unit, code]),
                         float_or_none(mean[code]))
        if code in counts:
            p.tasks = counts[code]
        out.append(p)
    return out


def indicator_rows(res, unit: str, *, base=None, targets: dict | None = None) -> list[IndicatorRow]:
    """One row per indicator: raw value (and the base year's from ``base``), score, rank, raw mean."""
    fw = res.framework
    raw = res.stage("raw")
    raw_mean = raw.mean()
    base_raw = base.stage("raw") if base is not None else None
    rows = []
    for code in sorted(fw.indicators, key=natural_key):
        rows.append(IndicatorRow(
            code=code, name=fw.name_of(code), unit=str(fw.nodes.at[code, "unit"] or ""),
            base_value=float_or_none(base_raw.at[unit, code]) if base_raw is not None and unit in base_raw.index else None,
            current_value=float_or_none(raw.at[unit, code]), target=(targets or {}).get(code),
            national_average=float_or_none(raw_mean[code]), score=float_or_none(res.aggregated.at[unit, code]),
            rank=_i(res.ranks.at[unit, code]), direction=int(fw.nodes.at[code, "direction"] or 1)))
    return rows


def profile_from_results(res, unit: str, *, previous=None, synthetic: bool = False,
                         issuer: Issuer | None = None, source_note: str = "") -> ProvinceProfile:
    """A province profile from one year's results (``previous``: last year's, for the rank change)."""
    fw = res.framework
    mean = res.aggregated.mean()
    heads = [c for c in (fw.root, "INPUT", "OUTPUT") if c in res.aggregated.columns]
    headlines = [Headline(c, HEADLINE_LABELS.get(c, fw.name_of(c)), float_or_none(res.aggregated.at[unit, c]),
                          _i(res.ranks.at[unit, c]), float_or_none(mean[c]),
                          _i(previous.ranks.at[unit, c]) if previous is not None and unit in previous.units
                          else None) for c in heads]
    rows = indicator_rows(res, unit)
    by_code = {r.code: r for r in rows}
    s, w = strengths_weaknesses(res, unit)
    return ProvinceProfile(unit=unit, year=int(res.year) if res.year else date.today().year,
                           n_units=len(res.units), headlines=headlines, pillars=pillars_from_results(res, unit),
                           indicators=rows, strengths=[by_code[c] for c in s.index],
                           weaknesses=[by_code[c] for c in w.index], synthetic=synthetic,
                           source_note=source_note, issuer=issuer)


def agency_template_from_results(res, unit: str, agency: str, agency_code: str, codes: list[str] | None = None,
                                 *, previous=None, issuer: Issuer | None = None, synthetic: bool = False,
                                 deadline: date | None = None) -> AgencyTemplate:
    """Template for ``res.year`` (the one rule of ``agency_template.template_year``: the latest data year,
    the year the web import accepts); last year's value comes from ``previous``."""
    fw = res.framework
    raw = previous.stage("raw") if previous is not None and unit in previous.units else None
    codes = sorted(codes or fw.indicators, key=natural_key)
    inds = [TemplateIndicator(c, fw.name_of(c), str(fw.nodes.at[c, "unit"] or ""), fw.source_of(c),
                              float_or_none(raw.at[unit, c]) if raw is not None and c in raw.columns else None) for c in codes]
    return AgencyTemplate(agency, agency_code, unit, int(res.year), inds, deadline=deadline, issuer=issuer,
                          synthetic=synthetic)


def ministry_form_from_results(res, unit: str, *, lead: dict | None = None, evidence: dict | None = None,
                               synthetic: bool = False) -> MinistryForm:
    fw = res.framework
    raw = res.stage("raw")
    rows = [MinistryFormRow(c, fw.name_of(c), str(fw.nodes.at[c, "unit"] or ""), float_or_none(raw.at[unit, c]),
                            (evidence or {}).get(c, ""), (lead or {}).get(c, "")) for c in fw.indicators]
    return MinistryForm(unit, int(res.year), rows, synthetic)


def position_from_results(res, unit: str, *, previous=None, target_rank: int | None = None,
                          target_year: int | None = None, scenario_lines: list[str] | None = None) -> IndexPosition:
    """The overall index score and rank of ``unit`` in ``res``, with the plan's target rank and the score
    of the unit now holding it."""
    root = res.framework.root
    ranks = res.ranks[root]
    at_target = None
    if target_rank:
        holders = ranks[ranks.round() == target_rank].index
        if len(holders):
            at_target = float_or_none(res.aggregated.at[holders[0], root])
    prev = None
    if previous is not None and unit in previous.units:
        prev = _i(previous.ranks.at[unit, root])
    return IndexPosition(year=int(res.year), score=float_or_none(res.aggregated.at[unit, root]), rank=_i(ranks[unit]),
                         n_units=len(res.units), national_average=float_or_none(res.aggregated[root].mean()),
                         previous_rank=prev, target_rank=target_rank, target_year=target_year,
                         score_at_target_rank=at_target, scenario_lines=list(scenario_lines or []))
