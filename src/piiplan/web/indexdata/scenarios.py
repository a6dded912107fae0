"""*Kịch bản*: the what-if editor, saved scenarios, and the target-rank optimiser.

What-if = the same recipe on edited raw values (``piiplan.analysis.whatif``); the target-rank plans are
in ``plans.py`` (a background job). Nothing computed is stored: a saved scenario keeps its edits
and settings, and reopening it recomputes on its base dataset version.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.whatif import what_if
from piiplan.web.accounts.access import access, allows, get_object_for_user, visible_to
from piiplan.web import versioning
from piiplan.web.audit.log import record, snapshot
from piiplan.web.indexdata import provenance, service
from piiplan.web.indexdata.forms import ScenarioMetaForm
from piiplan.web.indexdata.models import Scenario
from piiplan.numbers import float_or_none, parse_number

MAX_ABS_VALUE = 1e15  # the importer's bound on a raw value (piiplan.engine.tables.MAX_ABS_VALUE)


def _base(scenario: Scenario | None):
    """(framework, dataset, dataset version) a scenario computes on: its own version if it still exists."""
    if scenario is not None and scenario.dataset_id is not None:
        version = scenario.dataset
        active = service.active_dataset_version()
        if active is None or version.pk != active.pk:
            return service.framework_of(version.framework), service.dataset_of(version), version
    return service.current_framework(), service.current_dataset(), service.active_dataset_version()



def read_editor(data, framework, dataset, *, unit=None, year=None, stored: dict | None = None):
    """Parse the editor's fields (``v_<code>`` new value, ``p_<code>`` change in %).

    Returns (state, edits {unit: {code: value}}, errors)."""
    units = list(dataset.units.index)
    unit = data.get("unit") or unit or service.home_unit()
    if unit not in units:
        unit = units[0]
    try:
        year = int(data.get("year") or year or dataset.years[-1])
    except ValueError:
        year = dataset.years[-1]
    if year not in dataset.years:
        year = dataset.years[-1]
    current = dataset.wide(year, framework.indicators).loc[unit]
    stored_unit = (stored or {}).get(unit, {})
    rows, edits, errors = [], {}, []
    for code in framework.indicators:
        raw_v = (data.get(f"v_{code}") or "").strip()
        raw_p = (data.get(f"p_{code}") or "").strip()
        if not raw_v and not raw_p and code in stored_unit:
            raw_v = _plain(stored_unit[code])
        value, error = None, ""
        base = float_or_none(current.get(code))
        try:
            if raw_v:
                value = parse_number(raw_v)
            elif raw_p:
                pct = parse_number(raw_p)
                if base is None:
                    error = f"Chỉ số {code}: {unit} chưa có giá trị năm {year}, không tính được theo %; hãy nhập giá trị mới."
                else:
                    value = base * (1 + pct / 100)
        except (ValueError, OverflowError):
            error = f"Chỉ số {code}: «{(raw_v or raw_p)[:30]}» không phải là số."
        if value is not None and not (math.isfinite(value) and abs(value) <= MAX_ABS_VALUE):
            error = (f"Chỉ số {code}: giá trị «{(raw_v or raw_p)[:30]}» quá lớn (giới hạn ±{MAX_ABS_VALUE:.0e}); "
                     "kiểm tra lại đơn vị.")
            value = None
        if error:
            errors.append(error)
        if value is not None:
            edits[code] = value
        rows.append({"code": code, "name": framework.name_of(code), "unit_label": _text(framework, code, "unit"),
                     "current": base, "v": raw_v, "p": raw_p, "new": value, "error": error,
                     "direction": int(framework.nodes.at[code, "direction"])})
    state = {"unit": unit, "year": year, "units": units, "years": dataset.years, "rows": rows}
    return state, ({unit: edits} if edits else {}), errors


def _plain(value: float) -> str:
    return repr(float(value)).rstrip("0").rstrip(".") if float(value) != int(value) else str(int(value))


def _text(framework, code, column) -> str:
    value = framework.nodes.at[code, column] if column in framework.nodes.columns else ""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def compute(framework, dataset, state, edits) -> dict | None:
    """Run the what-if and shape it for the template and the chart."""
    if not edits:
        return None
    inputs = IndexInputs.from_dataset(framework, dataset, state["year"], service.current_recipe())
    base = service.results(state["year"], dataset=dataset, framework=framework)
    result = what_if(inputs, edits, base=base)
    unit, root = state["unit"], framework.root
    table = [{"unit": u, **{k: float_or_none(v) for k, v in row.items()}, "focus": u == unit}
             for u, row in result.table.iterrows()]
    focus_codes = [root] + [c for lv in range(framework.levels - 1, 2, -1) for c in framework.codes_at(lv)]
    changes = result.changes[result.changes["unit"] == unit].set_index("code")
    levels = [{"code": c, "name": framework.name_of(c), **{k: float_or_none(changes.at[c, k]) for k in changes.columns
                                                          if k != "unit"}} for c in focus_codes if c in changes.index]
    pillars = framework.codes_at(3) if framework.levels >= 3 else framework.codes_at(framework.levels)
    chart = {"labels": [f"{c}. {framework.name_of(c)}" for c in pillars],
             "before": [float_or_none(changes.at[c, "score_before"]) for c in pillars],
             "after": [float_or_none(changes.at[c, "score_after"]) for c in pillars],
             "unit": unit}
    mine = next(row for row in table if row["focus"])
    return {"table": table, "levels": levels, "notes": result.notes, "chart": chart, "focus": mine,
            "n_edits": sum(len(v) for v in edits.values())}


def _prepare(request, scenario):
    framework, dataset, version = _base(scenario)
    data = request.POST if request.method == "POST" else request.GET
    # On GET a saved scenario's edits fill the editor; on POST the form holds the whole state.
    stored = scenario.edits if scenario is not None and request.method != "POST" else None
    state, edits, errors = read_editor(data, framework, dataset, unit=getattr(scenario, "unit", None),
                                       year=getattr(scenario, "year", None), stored=stored)
    return framework, dataset, version, state, edits, errors


def _page(request, scenario, prepared, meta=None, status=200):
    framework, dataset, version, state, edits, errors = prepared
    if request.method == "POST" and errors and status == 200:
        status = 400  # a bad value: the page lists each one, nothing is computed or saved
    outcome = None
    if not errors and edits and (request.method == "POST" or scenario is not None):
        outcome = compute(framework, dataset, state, edits)
    if meta is None:
        meta = ScenarioMetaForm(initial={"name": getattr(scenario, "name", ""), "note": getattr(scenario, "note", "")})
    context = {
        "scenario": scenario, "state": state, "errors": errors, "outcome": outcome, "meta": meta,
        "can_write": allows(request.user, "staff"), "version": version,
        "scenarios": visible_to(request.user, Scenario).select_related("owner", "dataset")[:50],
        "deleted": Scenario.all_objects.filter(deleted_at__isnull=False).select_related("owner")[:20]
        if allows(request.user, "staff") else [],
        "synthetic": bool(version.synthetic) if version is not None else service.is_synthetic(),
        "synthetic_label": service.synthetic_label(), "home_unit": service.home_unit(),
        "origin": provenance.describe(version),
    }
    return render(request, "indexdata/scenarios.html", context, status=status)


def _handle(request, item):
    prepared = _prepare(request, item)
    if request.method == "POST" and request.POST.get("action") == "save":
        meta = ScenarioMetaForm(request.POST)
        _, _, version, state, edits, errors = prepared
        if not edits and not errors:
            errors.append("Kịch bản chưa có thay đổi nào: hãy nhập giá trị mới cho ít nhất một chỉ số.")
        if meta.is_valid() and not errors:
            try:
                return _save(request, item, meta, state, edits, version)
            except versioning.ConflictError as exc:
                errors.append(str(exc))
                return _page(request, item, prepared, meta=meta, status=409)
        return _page(request, item, prepared, meta=meta, status=400)
    return _page(request, item, prepared)


@access("staff", "leader", write="staff")
def scenarios(request):
    """The editor (staff), recompute on POST, save with ``action=save``; the saved scenarios (leaders read)."""
    return _handle(request, None)


@access("staff", "leader", write="staff")
def scenario(request, pk):
    item = get_object_for_user(request, Scenario, write=request.method == "POST", pk=pk)
    return _handle(request, item)


def _save(request, item, meta, state, edits, version):
    optimiser = {}
    for key in ("target_rank", "effort"):
        if request.POST.get(key):
            optimiser[key] = request.POST.get(key)
    if item is None:
        item = Scenario.objects.create(
            name=meta.cleaned_data["name"], note=meta.cleaned_data["note"], owner=request.user, dataset=version,
            year=state["year"], unit=state["unit"], edits=edits, optimiser=optimiser)
        record(request, "scenario_create", item, after=snapshot(item))
        messages.success(request, f"Đã lưu kịch bản «{item.name}».")
    else:
        with transaction.atomic():
            before = snapshot(item)
            changes = {"name": meta.cleaned_data["name"], "note": meta.cleaned_data["note"], "year": state["year"],
                       "unit": state["unit"], "edits": edits}
            if optimiser:
                changes["optimiser"] = optimiser
            # One conditional UPDATE: of two saves from the same version exactly one wins.
            versioning.guarded_update(Scenario, item.pk, request.POST.get("version"), "Kịch bản này", **changes)
            item.refresh_from_db()
            record(request, "scenario_update", item, before=before, after=snapshot(item))
        messages.success(request, f"Đã cập nhật kịch bản «{item.name}».")
    return redirect("indexdata:scenario", pk=item.pk)


@require_POST
@access("staff")
def scenario_delete(request, pk):
    item = get_object_for_user(request, Scenario, write=True, pk=pk)
    item.soft_delete(request)
    messages.success(request, f"Đã xoá kịch bản «{item.name}» (có thể khôi phục).")
    return redirect("indexdata:scenarios")


@require_POST
@access("staff")
def scenario_restore(request, pk):
    item = get_object_for_user(request, Scenario.all_objects.filter(deleted_at__isnull=False), write=True, pk=pk)
    item.restore(request)
    messages.success(request, f"Đã khôi phục kịch bản «{item.name}».")
    return redirect("indexdata:scenario", pk=item.pk)
