"""Calibration in normalised space: properties on random designs, and agreement with the engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piiplan.demo import demo_framework
from piiplan.demo.calibrate import (CalibrationError, anchors, calibrate_others, fit_to_reach, reach)
from piiplan.demo.design import UPPER, index_scores, layout, pillar_scores
from piiplan.engine import build, preset

FW = demo_framework()
LAY = layout(FW)
N = 12


def _missing(rng, p):
    m = rng.random((N, len(LAY.indicators))) < p
    # keep at least one indicator per (unit, sub-pillar)
    for s in range(len(LAY.sub_pillars)):
        cols = np.flatnonzero(LAY.sub_of == s)
        m[:, cols[0]] = False
    return m


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), p_missing=st.sampled_from([0.0, 0.05, 0.15]))
def test_pillar_scores_match_the_engine(seed, p_missing):
    rng = np.random.default_rng(seed)
    S = rng.uniform(0, 100, (N, len(LAY.indicators)))
    S[0], S[1] = 0.0, 100.0                      # every column spans exactly [0, 100]
    miss = _missing(rng, p_missing)
    miss[:2] = False
    S[miss] = np.nan
    units = [f"u{i}" for i in range(N)]
    wide = pd.DataFrame(S, index=units, columns=LAY.indicators)
    res = build(FW, wide, preset("pii").set("treat.method", "none"))
    P = pillar_scores(S, LAY)
    np.testing.assert_allclose(res.aggregated[LAY.pillars].to_numpy(), P, atol=1e-9)
    inp, out, pii = index_scores(P)
    np.testing.assert_allclose(res.aggregated["PII"].to_numpy(), pii, atol=1e-9)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), p_missing=st.sampled_from([0.0, 0.05]))
def test_calibration_hits_every_reachable_pillar_target(seed, p_missing):
    rng = np.random.default_rng(seed)
    B = rng.uniform(1, UPPER - 1, (N, len(LAY.indicators)))
    miss = _missing(rng, p_missing)
    leaders = rng.integers(0, N - 1, len(LAY.indicators))   # the last row plays the focus province
    miss[leaders, np.arange(len(LAY.indicators))] = False
    focus = N - 1
    A = anchors(B, miss, leaders, focus, rng)
    lo, hi = reach(A, miss, LAY)
    # targets inside the reach by at least 10 % of it (a few cells have less than 4 points of room)
    P = lo + (hi - lo) * (0.1 + 0.8 * rng.uniform(0, 1, lo.shape))
    margin = 0.05 * float((hi - lo).min())
    assert np.allclose(fit_to_reach(P, lo, hi, skip=focus, margin=margin), P)
    S = calibrate_others(B, P, miss, A, LAY, focus)
    got = pillar_scores(S, LAY)
    rows = [r for r in range(N) if r != focus]
    np.testing.assert_allclose(got[rows], P[rows], atol=1e-7)
    # anchors: the leader alone at 100, the last at 0, every other score strictly inside (0, UPPER]
    for j in range(len(LAY.indicators)):
        col = np.delete(S[:, j], focus)
        col = col[~np.isnan(col)]
        assert (col == 100.0).sum() == 1 and (col == 0.0).sum() == 1
        inner = col[(col != 100.0) & (col != 0.0)]
        assert ((inner > 0) & (inner <= UPPER)).all()


def test_fit_to_reach_keeps_input_and_output():
    lo = np.zeros((2, 7))
    hi = np.full((2, 7), 100.0)
    lo[0, 5] = 80.0                                  # pillar 6 cannot go below 80 for unit 0
    P = np.full((2, 7), 50.0)
    out = fit_to_reach(P, lo, hi, skip=1, margin=5.0)
    assert out[0, 5] == pytest.approx(85.0)
    inp, outp, _ = index_scores(out)
    assert inp[0] == pytest.approx(50.0) and outp[0] == pytest.approx(50.0)
    assert (out[1] == 50.0).all()


def test_fit_to_reach_refuses_the_impossible():
    lo = np.full((1, 7), 60.0)
    hi = np.full((1, 7), 100.0)
    with pytest.raises(CalibrationError):
        fit_to_reach(np.full((1, 7), 30.0), lo, hi, skip=-1, margin=1.0)
