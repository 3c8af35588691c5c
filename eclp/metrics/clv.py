"""Customer lifetime value: historic, and predicted with BG/NBD + Gamma-Gamma (spec §6).

`compute_clv` is the entry point: transactions → per-customer summary → both models fitted
by maximum likelihood → P(alive), expected orders, value and next order date over the
horizon. Small or degenerate data never raises: a model that cannot be fitted falls back
to a simple, named rule and says so in `ClvResult.notes`. The maths lives in `clv_bgnbd`,
`clv_gamma`, `clv_fit` and `clv_fallback`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from eclp.errors import EclpError
from eclp.metrics import clv_bgnbd, clv_gamma
from eclp.metrics.clv_fallback import run_rate_predictions, spend_fallback
from eclp.metrics.clv_fit import fit_bgnbd, fit_gamma_gamma
from eclp.metrics.clv_notes import model_notes

__all__ = [
    "ClvResult",
    "ClvSettings",
    "compute_clv",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "predict",
    "rfm_summary",
]

# Days per fitting period, per supported time unit.
TIME_UNIT_DAYS = {"D": 1.0, "W": 7.0}
DAYS_PER_MONTH = 365.25 / 12.0
# The next order date is left blank when it lies further out than this many horizons, or
# when the customer is almost surely gone: a date then would be false precision.
NEXT_ORDER_MAX_HORIZONS = 10.0
NEXT_ORDER_MIN_P_ALIVE = 0.01

SUMMARY_COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary_value", "historic_clv")
PREDICTION_COLUMNS = (
    "p_alive",
    "expected_orders",
    "expected_avg_value",
    "expected_value",
    "expected_next_order_date",
)


@dataclass(frozen=True)
class ClvSettings:
    """How CLV is predicted; `clv:` under `metrics:` in eclp.yaml. Validated on construction."""

    horizon_months: int = 12
    time_unit: str = "W"  # periods used for fitting: "D" days or "W" weeks
    min_repeat_buyers: int = 20  # below this, Gamma-Gamma falls back to the mean order value
    min_customers: int = 50  # below this, BG/NBD falls back to the historic run-rate
    discount_rate_annual: float = 0.0
    penalizer: float = 0.0  # small L2 on log-params, helps degenerate data

    def __post_init__(self) -> None:
        problems = []
        if self.horizon_months < 1:
            problems.append(f"clv horizon_months must be at least 1, not {self.horizon_months}")
        if self.time_unit not in TIME_UNIT_DAYS:
            problems.append(f"clv time_unit must be 'D' or 'W', not {self.time_unit!r}")
        if self.min_repeat_buyers < 1 or self.min_customers < 1:
            problems.append("clv min_repeat_buyers and min_customers must be at least 1")
        if not 0.0 <= self.discount_rate_annual < 10.0:
            problems.append("clv discount_rate_annual must be between 0 and 10 (e.g. 0.1 = 10%)")
        if self.penalizer < 0.0:
            problems.append(f"clv penalizer must not be negative, not {self.penalizer}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def horizon_periods(self) -> float:
        """The prediction horizon in fitting periods (months of 365.25/12 days)."""
        return self.horizon_months * DAYS_PER_MONTH / TIME_UNIT_DAYS[self.time_unit]


@dataclass(frozen=True)
class ClvResult:
    """Per-customer CLV plus the fitted models and sentences for the workbook's Models sheet."""

    per_customer: pd.DataFrame
    bgnbd: dict
    gamma_gamma: dict
    notes: tuple[str, ...] = field(default_factory=tuple)


def rfm_summary(
    transactions: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    time_unit: str = "W",
    calibration_end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Per customer: frequency, recency, T (in time_unit), monetary_value and historic_clv.

    transactions: customer_id, order_date, revenue (refunds already netted). Orders are
    summed per calendar day; frequency = purchase days − 1, recency = first to last purchase
    day, T = first purchase day to the end of observation (calibration_end, else as_of),
    monetary_value = mean of the repeat purchase days (0 without repeats) and historic_clv =
    all revenue in the window. Orders after the end are ignored.
    """
    unit_days = _unit_days(time_unit)
    _require_columns(transactions, ("customer_id", "order_date", "revenue"))
    end = as_of if calibration_end is None else min(calibration_end, as_of)
    end_day = _day_number(pd.Series([end]))[0]
    frame = transactions.loc[transactions["customer_id"].notna(), ["customer_id"]]
    days = _day_number(transactions.loc[frame.index, "order_date"])
    revenue = pd.to_numeric(transactions.loc[frame.index, "revenue"], errors="coerce")
    keep = (days <= end_day) & (days > np.iinfo(np.int64).min)  # NaT is int64 min
    codes, uniques = pd.factorize(frame["customer_id"].to_numpy()[keep])
    revenue = revenue.fillna(0.0).to_numpy(dtype=float)[keep]
    summary = _summarise(codes, uniques, days[keep], revenue, end_day, unit_days)
    summary.attrs["time_unit"] = time_unit
    return summary


def predict(
    summary: pd.DataFrame,
    bgnbd: dict,
    gamma_gamma: dict,
    *,
    horizon_periods: float,
    as_of: pd.Timestamp,
    time_unit: str | None = None,
    discount_rate_annual: float = 0.0,
) -> pd.DataFrame:
    """The summary plus p_alive, expected_orders, expected_avg_value, expected_value and
    expected_next_order_date over `horizon_periods` from `as_of`.

    time_unit defaults to the summary's (set by rfm_summary). Values are finite and
    non-negative for every customer; expected_value is discounted month by month when
    `discount_rate_annual` > 0 (expected_orders is not). `attrs["n_run_rate_customers"]`
    counts customers whose BG/NBD prediction broke down numerically and got run-rate values.
    """
    time_unit = time_unit or summary.attrs.get("time_unit") or bgnbd.get("time_unit") or "W"
    unit_days = _unit_days(time_unit)
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    t_max = NEXT_ORDER_MAX_HORIZONS * horizon_periods
    run_rate = (horizon_periods, unit_days, discount_rate_annual)
    n_broken = 0
    if bgnbd.get("method") == "mle":
        params = tuple(bgnbd[name] for name in clv_bgnbd.PARAM_NAMES)
        with np.errstate(all="ignore"):  # breakdowns are caught just below
            alive = clv_bgnbd.p_alive(params, x, t_x, T)
            orders = clv_bgnbd.expected_purchases(params, x, t_x, T, horizon_periods)
            discounted = _discounted_orders(
                params, x, t_x, T, orders, *run_rate[:2], discount_rate_annual
            )
            wait = clv_bgnbd.time_to_one_purchase(
                params, x, t_x, T, t_max=t_max, tolerance=0.5 / unit_days
            )
        broken = ~(np.isfinite(alive) & np.isfinite(orders) & np.isfinite(discounted))
        n_broken = int(broken.sum())
        if n_broken:
            fallback = run_rate_predictions(x[broken], t_x[broken], T[broken], *run_rate)
            alive[broken], orders[broken], discounted[broken], wait[broken] = fallback
    else:
        alive, orders, discounted, wait = run_rate_predictions(x, t_x, T, *run_rate)
    avg_value = _expected_average_value(summary, gamma_gamma)
    wait = np.where((alive >= NEXT_ORDER_MIN_P_ALIVE) & (wait <= t_max), wait, np.nan)
    out = summary.copy()
    out["p_alive"] = np.clip(alive, 0.0, 1.0)
    out["expected_orders"] = np.clip(orders, 0.0, None)
    out["expected_avg_value"] = avg_value
    out["expected_value"] = np.clip(discounted, 0.0, None) * avg_value
    out["expected_next_order_date"] = _dates_after(as_of, wait * unit_days)
    out.attrs["n_run_rate_customers"] = n_broken
    return out


def compute_clv(
    transactions: pd.DataFrame, *, as_of: pd.Timestamp, settings: ClvSettings | None = None
) -> ClvResult:
    """Historic and predicted CLV per customer, with both models and notes for the workbook."""
    settings = settings or ClvSettings()
    as_of = pd.Timestamp(as_of)
    summary = rfm_summary(transactions, as_of=as_of, time_unit=settings.time_unit)
    bgnbd = fit_bgnbd(summary, settings.penalizer, min_customers=settings.min_customers)
    gamma_gamma = fit_gamma_gamma(
        summary, settings.penalizer, min_repeat_buyers=settings.min_repeat_buyers
    )
    bgnbd["time_unit"] = settings.time_unit
    per_customer = predict(
        summary,
        bgnbd,
        gamma_gamma,
        horizon_periods=settings.horizon_periods,
        as_of=as_of.normalize(),
        time_unit=settings.time_unit,
        discount_rate_annual=settings.discount_rate_annual,
    )
    notes = model_notes(bgnbd, gamma_gamma, settings, len(summary))
    if per_customer.attrs["n_run_rate_customers"]:
        notes += (
            f"{per_customer.attrs['n_run_rate_customers']} customers got run-rate predictions "
            "because BG/NBD broke down numerically for them.",
        )
    return ClvResult(per_customer, bgnbd, gamma_gamma, notes)


def _summarise(codes, uniques, days, revenue, end_day, unit_days) -> pd.DataFrame:
    """Per-customer summary from integer customer codes and day numbers, fully vectorised."""
    if codes.size == 0:
        return _empty_summary()
    order = np.lexsort((days, codes))
    codes, days, revenue = codes[order], days[order], revenue[order]
    new_day = np.r_[True, (codes[1:] != codes[:-1]) | (days[1:] != days[:-1])]
    day_start = np.flatnonzero(new_day)
    day_revenue = np.add.reduceat(revenue, day_start)
    day_codes, day_numbers = codes[day_start], days[day_start]
    cust_start = np.flatnonzero(np.r_[True, day_codes[1:] != day_codes[:-1]])
    cust_end = np.r_[cust_start[1:], day_codes.size] - 1
    n_days = cust_end - cust_start + 1
    first, last = day_numbers[cust_start], day_numbers[cust_end]
    total = np.add.reduceat(day_revenue, cust_start)
    frequency = (n_days - 1).astype(float)
    repeat_revenue = total - day_revenue[cust_start]
    monetary = np.divide(repeat_revenue, frequency, out=np.zeros_like(total), where=frequency > 0)
    return pd.DataFrame(
        {
            "customer_id": uniques[day_codes[cust_start]],
            "frequency": frequency,
            "recency": (last - first) / unit_days,
            "T": (end_day - first) / unit_days,
            "monetary_value": monetary,
            "historic_clv": total,
        }
    )


def _empty_summary() -> pd.DataFrame:
    """A summary with the right columns and no customers."""
    frame = pd.DataFrame({name: pd.Series(dtype=float) for name in SUMMARY_COLUMNS})
    return frame.astype({"customer_id": object})


def _day_number(values: pd.Series) -> np.ndarray:
    """Calendar day numbers (days since 1970-01-01, local wall time); NaT → int64 min."""
    stamps = pd.to_datetime(values, errors="coerce")
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_localize(None)
    return stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _expected_average_value(summary: pd.DataFrame, gamma_gamma: dict) -> np.ndarray:
    """Expected value per future order: Gamma-Gamma when fitted, else the fallback rule."""
    x = summary["frequency"].to_numpy(dtype=float)
    if gamma_gamma.get("method") == "mle":
        params = (gamma_gamma["p"], gamma_gamma["q"], gamma_gamma["v"])
        value = clv_gamma.expected_average_value(params, x, summary["monetary_value"].to_numpy())
    else:
        value = spend_fallback(summary, gamma_gamma.get("mean_order_value", 0.0))
    return np.clip(np.nan_to_num(value, nan=0.0, posinf=0.0), 0.0, None)


def _discounted_orders(params, x, t_x, T, orders, horizon, unit_days, rate) -> np.ndarray:
    """Expected orders over the horizon, each month's share discounted to its midpoint."""
    if rate <= 0.0:
        return orders.copy()
    months = max(round(horizon * unit_days / DAYS_PER_MONTH), 1)
    edges = np.linspace(0.0, horizon, months + 1)
    cumulative = [clv_bgnbd.expected_purchases(params, x, t_x, T, t) for t in edges[1:]]
    increments = np.diff(np.vstack([np.zeros_like(x), *cumulative]), axis=0)
    years_mid = (edges[:-1] + edges[1:]) / 2.0 * unit_days / 365.25
    factors = (1.0 + rate) ** -years_mid
    return (np.clip(increments, 0.0, None) * factors[:, None]).sum(axis=0)


def _dates_after(as_of: pd.Timestamp, days: np.ndarray) -> np.ndarray:
    """as_of plus a (possibly NaN) number of days, rounded up to whole days; NaN → NaT."""
    start = pd.Timestamp(as_of).normalize()
    if start.tzinfo is not None:
        start = start.tz_localize(None)
    offsets = pd.to_timedelta(np.ceil(days), unit="D")
    # An array, not a Series, so it lines up by position whatever the summary's index is.
    return (start + offsets).to_numpy(dtype="datetime64[ns]")


def _unit_days(time_unit: str) -> float:
    """Days per period for a supported time unit."""
    if time_unit not in TIME_UNIT_DAYS:
        raise EclpError(f"CLV time unit must be 'D' or 'W', not {time_unit!r}")
    return TIME_UNIT_DAYS[time_unit]


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Raise when the transactions frame lacks a column CLV needs."""
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise EclpError(f"CLV needs transaction columns {', '.join(missing)}")
