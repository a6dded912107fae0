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
# What users read for each ``TreatmentLog.fired`` value (what-if notes, results workbook).
FIRED_VI = {
    "none": "không xử lý",
    "winsorise": "thay giá trị ngoại lai",
    "log": "biến đổi logarit",
    "skip": "bỏ qua (không kiểm tra)",
    "failed": "không xử lý được",
}
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


# Skewness and kurtosis are compared with their thresholds after rounding away floating-point noise:
# a value equal to a threshold in exact arithmetic (one outlier among four points has a skewness of
# exactly 2, COINr's default threshold) must fail as it does in exact arithmetic, not pass or fail with
# the order of a sum (the scalar and the vectorised code, or the same column among 1 or 40 others).
TIE_DECIMALS = 9


def _passes(sk: float, ku: float, skew: float, kurt: float) -> bool | None:
    if math.isnan(sk) or math.isnan(ku):
        return None
    return bool(abs(round(sk, TIE_DECIMALS)) < skew or round(ku, TIE_DECIMALS) < kurt)


def passes_columns(sk: np.ndarray, ku: np.ndarray, skew, kurt) -> np.ndarray:
    """Vectorised :func:`_passes` (False where the statistics are NaN; callers mask those)."""
    with np.errstate(invalid="ignore"):
        return (np.abs(np.round(sk, TIE_DECIMALS)) < skew) | (np.round(ku, TIE_DECIMALS) < kurt)


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


def winsorise_columns(X: np.ndarray, winmax: np.ndarray, skew: np.ndarray, kurt: np.ndarray,
                      force: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`winsorise` on many columns at once, in lock-step (same result, far fewer numpy calls).

    ``winmax`` (−1 = no limit), ``skew``, ``kurt``, ``force``: one entry per column. Returns
    (X', nwin, hi mask, lo mask): the masks mark the latest winsorised group on each side, as COINr does.
    """
    X = X.copy()
    n_rows, n_cols = X.shape
    hi = np.zeros(X.shape, dtype=bool)
    lo = np.zeros(X.shape, dtype=bool)
    nwin = np.zeros(n_cols, dtype=int)
    sk, ku = skew_kurt_columns(X)
    passing = passes_columns(sk, ku, skew, kurt)
    valid = ~np.isnan(sk)
    active = valid & (~passing | force) & ((winmax < 0) | (nwin < winmax))
    finite = ~np.isnan(X)
    while active.any():
        cols = np.flatnonzero(active)
        sub = X[:, cols]
        fin = finite[:, cols]
        up = sk[cols] >= 0
        top = np.where(up, np.nanmax(sub, axis=0), np.nanmin(sub, axis=0))
        hit = fin & (sub == top)
        rest_hi = np.where(fin & ~hit, sub, -np.inf).max(axis=0)
        rest_lo = np.where(fin & ~hit, sub, np.inf).min(axis=0)
        repl = np.where(up, rest_hi, rest_lo)
        stuck = ~np.isfinite(repl)
        sub = np.where(hit & ~stuck, repl, sub)
        X[:, cols] = sub
        hi[:, cols] = np.where(up & ~stuck, hit, hi[:, cols])
        lo[:, cols] = np.where(~up & ~stuck, hit, lo[:, cols])
        nwin[cols] = hi[:, cols].sum(axis=0) + lo[:, cols].sum(axis=0)
        s2, k2 = skew_kurt_columns(sub)
        sk[cols], ku[cols] = s2, k2
        passing[cols] = passes_columns(s2, k2, skew[cols], kurt[cols])
        still = (~passing[cols] | force[cols]) & ((winmax[cols] < 0) | (nwin[cols] < winmax[cols])) \
            & ~np.isnan(s2) & ~stuck
        active[cols] = still
    return X, nwin, hi, lo


POINT_LABELS = ("", "winhi", "winlo", "log_CT", "log_GII")


@dataclass
class TreatmentInfo:
    """Column-wise record of a treatment run (arrays, one entry per indicator; cheap to build).

    Indexing or iterating yields :class:`TreatmentLog` objects, built on demand.
    """

    codes: list[str]
    fired: np.ndarray          # object: "none" | "winsorise" | "log" | "skip"
    pass0: np.ndarray          # float: 1.0 pass, 0.0 fail, NaN not testable
    skew0: np.ndarray
    kurt0: np.ndarray
    nwin: np.ndarray           # float, NaN where winsorisation was not tried
    pass1: np.ndarray
    skew1: np.ndarray
    kurt1: np.ndarray
    pass2: np.ndarray
    skew2: np.ndarray
    kurt2: np.ndarray
    points: np.ndarray         # int8 (units × indicators): index into POINT_LABELS

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self):
        return (self[j] for j in range(len(self.codes)))

    def __getitem__(self, j: int) -> TreatmentLog:
        def b(v):
            return None if np.isnan(v) else bool(v)

        nwin = None if np.isnan(self.nwin[j]) else int(self.nwin[j])
        note = ""
        if np.isnan(self.pass0[j]) and self.fired[j] != "skip":
            note = "Không đủ số liệu (cần ít nhất 4 giá trị khác nhau) để kiểm tra độ lệch và độ nhọn."
        pts = {int(i): POINT_LABELS[k] for i, k in enumerate(self.points[:, j]) if k}
        return TreatmentLog(self.codes[j], str(self.fired[j]), b(self.pass0[j]), float(self.skew0[j]),
                            float(self.kurt0[j]), nwin, b(self.pass1[j]), float(self.skew1[j]), float(self.kurt1[j]),
                            b(self.pass2[j]), float(self.skew2[j]), float(self.kurt2[j]), pts, note)


def treat(X: np.ndarray, codes: list[str], method: str = "coinr", skew: float | None = None,
          kurt: float | None = None, winmax: int | None = -1, log: str | None = None,
          overrides: dict | None = None) -> tuple[np.ndarray, TreatmentInfo]:
    """Treat every column of ``X`` (units × indicators). Returns the treated copy and the record.

    ``overrides`` maps an indicator code to ``"skip"``, ``"force"`` or a dict of the parameters above.
    ``winmax=None`` means no limit; ``-1`` keeps the method's default.
    """
    n, m = X.shape
    nan_m = np.full(m, np.nan)
    if method == "none":
        return X.copy(), TreatmentInfo(list(codes), np.full(m, "skip", dtype=object), *[nan_m.copy() for _ in range(10)],
                                       np.zeros((n, m), dtype=np.int8))
    if method not in DEFAULTS:
        raise ValueError(f"Phương pháp xử lý ngoại lai «{method}» không được hỗ trợ ({', '.join(METHODS)}).")
    base = dict(DEFAULTS[method])
    for key, val in (("skew", skew), ("kurt", kurt), ("log", log)):
        if val is not None:
            base[key] = val
    if winmax != -1:
        base["winmax"] = winmax
    p_skew = np.full(m, float(base["skew"]))
    p_kurt = np.full(m, float(base["kurt"]))
    p_win = np.full(m, -1 if base["winmax"] is None else int(base["winmax"]))
    p_log = [base["log"]] * m
    force = np.zeros(m, dtype=bool)
    skip = np.zeros(m, dtype=bool)
    for code, spec in (overrides or {}).items():
        if code not in codes:
            raise ValueError(f"Chỉ định xử lý riêng cho mã «{code}» nhưng mã này không có trong khung chỉ số.")
        j = codes.index(code)
        if spec == "skip":
            skip[j] = True
        elif spec == "force":
            force[j] = True
        elif isinstance(spec, dict):
            p_skew[j] = float(spec.get("skew", p_skew[j]))
            p_kurt[j] = float(spec.get("kurt", p_kurt[j]))
            if "winmax" in spec:
                p_win[j] = -1 if spec["winmax"] is None else int(spec["winmax"])
            p_log[j] = spec.get("log", p_log[j])
            force[j] = bool(spec.get("force", False))
        else:
            raise ValueError(f"Chỉ định xử lý cho mã «{code}» phải là skip, force hoặc một bộ tham số.")
    sk0, ku0 = skew_kurt_columns(X)
    pass0 = passes_columns(sk0, ku0, p_skew, p_kurt).astype(float)
    valid = ~np.isnan(sk0)
    pass0[~valid] = np.nan
    fired = np.full(m, "none", dtype=object)
    fired[skip] = "skip"
    info = TreatmentInfo(list(codes), fired, pass0, sk0, ku0, nan_m.copy(), nan_m.copy(), nan_m.copy(),
                         nan_m.copy(), nan_m.copy(), nan_m.copy(), nan_m.copy(), np.zeros((n, m), dtype=np.int8))
    todo = valid & ((pass0 == 0) | force) & ~skip
    out = X.copy()
    if not todo.any():
        return out, info
    cols = np.flatnonzero(todo)
    W, nwin, hi, lo = winsorise_columns(X[:, cols], p_win[cols], p_skew[cols], p_kurt[cols], force[cols])
    sk1, ku1 = skew_kurt_columns(W)
    pass1 = passes_columns(sk1, ku1, p_skew[cols], p_kurt[cols])
    info.nwin[cols] = nwin
    info.skew1[cols], info.kurt1[cols] = sk1, ku1
    info.pass1[cols] = np.where(np.isnan(sk1), np.nan, pass1)
    info.points[:, cols] = np.where(hi, 1, np.where(lo, 2, 0))
    fired[cols] = np.where(nwin > 0, "winsorise", "none")
    out[:, cols] = W
    for k in np.flatnonzero(~pass1 & ~np.isnan(sk1)):
        j = cols[k]
        fn, label = LOGS[p_log[j]]
        x2 = fn(X[:, j])  # COINr applies the log to the original values, not the winsorised ones
        out[:, j] = x2
        info.points[:, j] = np.where(np.isnan(X[:, j]), 0, POINT_LABELS.index(label))
        info.skew2[j], info.kurt2[j] = skew_kurt(x2)
        p2 = _passes(info.skew2[j], info.kurt2[j], p_skew[j], p_kurt[j])
        info.pass2[j] = np.nan if p2 is None else float(p2)
        fired[j] = "log"
    return out, info
