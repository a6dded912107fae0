"""Outlier treatment, exactly as COINr's ``Treat()`` with its defaults (and the GII variant).

Per indicator, over its non-missing values:
1. check: pass if |skewness| < ``skew`` **or** kurtosis < ``kurt`` (sample skewness and excess kurtosis,
   "type 2" as Excel's SKEW/KURT and e1071);
2. if it fails, winsorise: every point equal to the current maximum (minimum when skewness is negative)
   takes the next value down (up), ties included, until it passes or ``winmax`` points are winsorised;
3. if it still fails, discard the winsorised values and log-transform the original ones:
   ``log(x − min + 0.01·(max − min))`` (COINr's ``log_CT``) or the GII log.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

METHODS = ("coinr", "gii", "none")
DEFAULTS = {
    "coinr": {"skew": 2.0, "kurt": 3.5, "winmax": 5, "log": "log_ct"},
    "gii": {"skew": 2.25, "kurt": 3.5, "winmax": 5, "log": "log_ct"},
}


@dataclass
class TreatmentLog:
    """What happened to one indicator (the columns of COINr's treatment details table)."""

    code: str
    fired: str = "none"              # "none" | "winsorise" | "log" | "skip" | "failed"
    pass0: bool | None = None
    skew0: float = math.nan
    kurt0: float = math.nan
    nwin: int | None = None
    pass1: bool | None = None
    skew1: float = math.nan
    kurt1: float = math.nan
    pass2: bool | None = None
    skew2: float = math.nan
    kurt2: float = math.nan
    points: dict[int, str] = field(default_factory=dict)   # row index → "winhi" | "winlo" | "log_CT"
    note: str = ""


def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """Type-2 sample skewness and excess kurtosis of the finite values of ``x``."""
    v = x[~np.isnan(x)]
    n = v.size
    if n < 4:
        return math.nan, math.nan
    d = v - v.mean()
    d2 = d * d
    m2 = d2.sum()
    if m2 == 0:
        return math.nan, math.nan
    sk = math.sqrt(n) * (d2 * d).sum() / m2 ** 1.5 * math.sqrt(n * (n - 1)) / (n - 2)
    r = n * (d2 * d2).sum() / (m2 * m2)
    ku = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return sk, ku


def skew_kurt_columns(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`skew_kurt` over the columns of a 2-D array (NaN-aware)."""
    mask = ~np.isnan(X)
    n = mask.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(mask, X, 0.0).sum(axis=0) / n
        d = np.where(mask, X - mean, 0.0)
        d2 = d * d
        m2 = d2.sum(axis=0)
        m3 = (d2 * d).sum(axis=0)
        m4 = (d2 * d2).sum(axis=0)
        sk = np.sqrt(n) * m3 / m2 ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / (m2 * m2)
        ku = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    bad = (n < 4) | (m2 == 0)
    sk[bad] = np.nan
    ku[bad] = np.nan
    return sk, ku


def _passes(sk: float, ku: float, skew: float, kurt: float) -> bool | None:
    if math.isnan(sk) or math.isnan(ku):
        return None
    return bool(abs(sk) < skew or ku < kurt)


def winsorise(x: np.ndarray, winmax: int | None, skew: float, kurt: float, force: bool = False):
    """COINr's ``winsorise``: returns (x, nwin, points) with points {index: "winhi"/"winlo"}."""
    x = x.copy()
    sk, ku = skew_kurt(x)
    passing = _passes(sk, ku, skew, kurt)
    nwin = 0
    imax = imin = np.empty(0, dtype=int)
    below = winmax is None or nwin < winmax
    while (not passing or force) and below:
        finite = ~np.isnan(x)
        if sk >= 0:
            top = np.nanmax(x)
            imax = np.flatnonzero(finite & (x == top))
            rest = x[finite & (x != top)]
            if rest.size == 0:
                break
            x[imax] = rest.max()
        else:
            bottom = np.nanmin(x)
            imin = np.flatnonzero(finite & (x == bottom))
            rest = x[finite & (x != bottom)]
            if rest.size == 0:
                break
            x[imin] = rest.min()
        # COINr counts the points of the latest winsorised group on each side (ties carry earlier points)
        nwin = imax.size + imin.size
        below = winmax is None or nwin < winmax
        sk, ku = skew_kurt(x)
        passing = _passes(sk, ku, skew, kurt)
        if passing is None:
            break
    points = {int(i): "winhi" for i in imax}
    points.update({int(i): "winlo" for i in imin})
    return x, nwin, points


def log_ct(x: np.ndarray) -> np.ndarray:
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def log_gii(x: np.ndarray) -> np.ndarray:
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log((hi - 1) * (x - lo) / (hi - lo) + 1)


LOGS = {"log_ct": (log_ct, "log_CT"), "log_gii": (log_gii, "log_GII")}


def treat_column(x: np.ndarray, code: str, skew: float, kurt: float, winmax: int | None, log: str = "log_ct",
                 force: bool = False) -> tuple[np.ndarray, TreatmentLog]:
    """Treat one indicator. ``x`` holds NaN for missing values."""
    entry = TreatmentLog(code)
    sk, ku = skew_kurt(x)
    entry.skew0, entry.kurt0 = sk, ku
    entry.pass0 = _passes(sk, ku, skew, kurt)
    if entry.pass0 is None:
        entry.note = "Không đủ số liệu (cần ít nhất 4 giá trị khác nhau) để kiểm tra độ lệch và độ nhọn."
        return x, entry
    if entry.pass0 and not force:
        return x, entry
    x1, nwin, points = winsorise(x, winmax, skew, kurt, force)
    entry.nwin = nwin
    entry.points = points
    entry.skew1, entry.kurt1 = skew_kurt(x1)
    entry.pass1 = _passes(entry.skew1, entry.kurt1, skew, kurt)
    entry.fired = "winsorise" if nwin else "none"
    if entry.pass1 is not False:
        return x1, entry
    fn, label = LOGS[log]
    x2 = fn(x)  # COINr applies the log to the original values, not the winsorised ones
    entry.points = {int(i): label for i in np.flatnonzero(~np.isnan(x))}
    entry.skew2, entry.kurt2 = skew_kurt(x2)
    entry.pass2 = _passes(entry.skew2, entry.kurt2, skew, kurt)
    entry.fired = "log"
    return x2, entry


def treat(X: np.ndarray, codes: list[str], method: str = "coinr", skew: float | None = None,
          kurt: float | None = None, winmax: int | None = -1, log: str | None = None,
          overrides: dict | None = None) -> tuple[np.ndarray, list[TreatmentLog]]:
    """Treat every column of ``X`` (units × indicators). Returns the treated copy and one log per column.

    ``overrides`` maps an indicator code to ``"skip"``, ``"force"`` or a dict of the parameters above.
    ``winmax=None`` means no limit; ``-1`` keeps the method's default.
    """
    if method == "none":
        return X.copy(), [TreatmentLog(c, fired="skip") for c in codes]
    if method not in DEFAULTS:
        raise ValueError(f"Phương pháp xử lý ngoại lai «{method}» không được hỗ trợ ({', '.join(METHODS)}).")
    base = dict(DEFAULTS[method])
    for key, val in (("skew", skew), ("kurt", kurt), ("log", log)):
        if val is not None:
            base[key] = val
    if winmax != -1:
        base["winmax"] = winmax
    overrides = overrides or {}
    out = X.copy()
    sk_all, ku_all = skew_kurt_columns(X)
    logs: list[TreatmentLog] = []
    for j, code in enumerate(codes):
        spec = overrides.get(code)
        if spec == "skip":
            logs.append(TreatmentLog(code, fired="skip", skew0=sk_all[j], kurt0=ku_all[j]))
            continue
        params = dict(base)
        force = spec == "force"
        if isinstance(spec, dict):
            params.update({k: v for k, v in spec.items() if k in params})
            force = bool(spec.get("force", False))
        if not force:
            p0 = _passes(sk_all[j], ku_all[j], params["skew"], params["kurt"])
            if p0 is not False:
                logs.append(TreatmentLog(code, pass0=p0, skew0=sk_all[j], kurt0=ku_all[j],
                                         note="" if p0 else "Không đủ số liệu để kiểm tra độ lệch và độ nhọn."))
                continue
        out[:, j], entry = treat_column(X[:, j], code, params["skew"], params["kurt"], params["winmax"],
                                        params["log"], force)
        logs.append(entry)
    return out, logs
