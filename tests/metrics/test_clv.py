"""Customer lifetime value: BG/NBD + Gamma-Gamma reproduce the published CDNOW tables, and
small or degenerate data falls back clearly instead of crashing or predicting nonsense."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime

from eclp.metrics import clv_bgnbd, clv_gamma
from eclp.metrics.clv import (
    ClvSettings,
    compute_clv,
    fit_bgnbd,
    fit_gamma_gamma,
    predict,
    rfm_summary,
)

CALIBRATION_END = pd.Timestamp("1997-09-30")
PUBLISHED_BGNBD = {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
PREDICTION_COLUMNS = [
    "p_alive",
    "expected_orders",
    "expected_avg_value",
    "expected_value",
]


def _cdnow_dir() -> Path:
    lifetimes = pytest.importorskip("lifetimes")
    return Path(lifetimes.__file__).parent / "datasets"


@pytest.fixture(scope="module")
def cdnow_transactions() -> pd.DataFrame:
    """The CDNOW 1/10 sample as eclp transactions (customer = the original CDNOW id)."""
    raw = pd.read_csv(
        _cdnow_dir() / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["id", "original_id", "date", "quantity", "amount"],
        dtype={"date": str},
    )
    return pd.DataFrame(
        {
            "customer_id": raw["original_id"],
            "order_date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "revenue": raw["amount"],
        }
    )


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_transactions) -> pd.DataFrame:
    return rfm_summary(cdnow_transactions, as_of=CALIBRATION_END, time_unit="W")


@pytest.fixture(scope="module")
def cdnow_result(cdnow_transactions):
    return compute_clv(cdnow_transactions, as_of=CALIBRATION_END)


def _transactions(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """customer_id, order_date, revenue from (id, 'YYYY-MM-DD', amount) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "revenue"])
    frame["order_date"] = pd.to_datetime(frame["order_date"], format="ISO8601")
    return frame


def _assert_usable(result, n_customers: int) -> None:
    """Every customer gets finite, non-negative predictions and P(alive) in [0, 1]."""
    frame = result.per_customer
    assert len(frame) == n_customers
    values = frame[PREDICTION_COLUMNS].to_numpy(dtype=float)
    assert np.isfinite(values).all()
    assert (values >= 0).all()
    assert frame["p_alive"].between(0, 1).all()


# --- CDNOW reproduction ---------------------------------------------------------------


def test_cdnow_summary_matches_the_published_calibration_summary(cdnow_summary):
    published = pd.read_csv(_cdnow_dir() / "cdnow_customers_summary_with_transactions.csv")
    ours = cdnow_summary.set_index("customer_id").loc[published["ID"]]
    assert len(cdnow_summary) == 2357
    assert (cdnow_summary["frequency"] > 0).sum() == 946
    np.testing.assert_array_equal(ours["frequency"].to_numpy(), published["x"].to_numpy())
    # The published file rounds to two decimals.
    np.testing.assert_allclose(ours["recency"], published["t_x"], atol=0.006)
    np.testing.assert_allclose(ours["T"], published["T"], atol=0.006)
    np.testing.assert_allclose(ours["monetary_value"], published["zbar"], atol=0.006)


def test_cdnow_bgnbd_reproduces_fader_hardie_lee_2005(cdnow_result):
    fit = cdnow_result.bgnbd
    assert fit["method"] == "mle" and fit["converged"]
    for name, value in PUBLISHED_BGNBD.items():
        assert fit[name] == pytest.approx(value, rel=0.005), name
    assert fit["log_likelihood"] == pytest.approx(-9582.43, abs=0.05)


def test_cdnow_gamma_gamma_reproduces_fader_hardie_2013(cdnow_result):
    fit = cdnow_result.gamma_gamma
    assert fit["method"] == "mle" and fit["converged"]
    assert fit["n_repeat_buyers"] == 946
    for name, value in PUBLISHED_GAMMA_GAMMA.items():
        assert fit[name] == pytest.approx(value, rel=0.01), name
    assert fit["log_likelihood"] == pytest.approx(-4055.92, abs=0.05)


def test_cdnow_predictions_agree_with_the_lifetimes_oracle(cdnow_summary, cdnow_result):
    lifetimes = pytest.importorskip("lifetimes")
    params = tuple(cdnow_result.bgnbd[name] for name in clv_bgnbd.PARAM_NAMES)
    oracle = lifetimes.BetaGeoFitter()
    oracle.params_ = pd.Series(dict(zip(clv_bgnbd.PARAM_NAMES, params, strict=True)))
    x, t_x, T = (cdnow_summary[c].to_numpy() for c in ("frequency", "recency", "T"))
    for horizon in (1.0, 39.0, 52.0, 260.0):
        expected = oracle.conditional_expected_number_of_purchases_up_to_time(horizon, x, t_x, T)
        ours = clv_bgnbd.expected_purchases(params, x, t_x, T, horizon)
        np.testing.assert_allclose(ours, expected, rtol=1e-7)
    alive = oracle.conditional_probability_alive(x, t_x, T)
    np.testing.assert_allclose(clv_bgnbd.p_alive(params, x, t_x, T), alive, rtol=1e-9)


def test_cdnow_per_customer_frame_is_complete(cdnow_result):
    frame = cdnow_result.per_customer
    assert list(frame.columns) == [
        "customer_id",
        "frequency",
        "recency",
        "T",
        "monetary_value",
        "historic_clv",
        "p_alive",
        "expected_orders",
        "expected_avg_value",
        "expected_value",
        "expected_next_order_date",
    ]
    _assert_usable(cdnow_result, 2357)
    np.testing.assert_allclose(
        frame["expected_value"], frame["expected_orders"] * frame["expected_avg_value"]
    )
    # Customer 1 bought on 1997-01-01, -01-18 and -08-02: two repeat days in 39 weeks.
    first = frame.set_index("customer_id").loc[1]
    assert first["frequency"] == 2
    assert first["historic_clv"] == pytest.approx(29.33 + 29.73 + 14.96)
    assert first["expected_next_order_date"] > CALIBRATION_END


def test_gamma_gamma_for_one_time_buyers_is_the_population_mean(cdnow_result):
    gg = cdnow_result.gamma_gamma
    one_timers = cdnow_result.per_customer.query("frequency == 0")
    population_mean = gg["p"] * gg["v"] / (gg["q"] - 1)
    np.testing.assert_allclose(one_timers["expected_avg_value"], population_mean)


# --- numerics -------------------------------------------------------------------------


def test_bgnbd_gradient_matches_finite_differences(cdnow_summary):
    data = clv_bgnbd.BgnbdData.from_arrays(
        cdnow_summary["frequency"], cdnow_summary["recency"], cdnow_summary["T"]
    )
    params = np.array([0.4, 6.0, 1.3, 3.0])
    _, grad = clv_bgnbd.log_likelihood(params, data)
    numeric = approx_fprime(params, lambda p: clv_bgnbd.log_likelihood(p, data)[0], 1e-7)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4)


def test_gamma_gamma_gradient_matches_finite_differences():
    x = np.array([1.0, 2.0, 5.0, 9.0])
    m = np.array([12.0, 30.5, 8.2, 55.0])
    params = np.array([3.0, 2.5, 20.0])
    _, grad = clv_gamma.log_likelihood(params, x, m)
    numeric = approx_fprime(params, lambda p: clv_gamma.log_likelihood(p, x, m)[0], 1e-7)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4)


def test_expected_purchases_stay_finite_and_exact_for_extreme_customers():
    """The textbook 2F1 form overflows here; the transformed form must match high precision."""
    mpmath = pytest.importorskip("mpmath")
    params = (0.2426, 4.4136, 0.7929, 2.4259)
    x = np.array([0.0, 1.0, 50.0, 300.0, 1000.0, 3.0])
    t_x = np.array([0.0, 0.5, 150.0, 520.0, 1040.0, 1.0])
    T = np.array([1040.0, 1.0, 156.0, 520.0, 1040.0, 5000.0])
    t = 520.0
    ours = clv_bgnbd.expected_purchases(params, x, t_x, T, t)
    assert np.isfinite(ours).all()
    mpmath.mp.dps = 50
    r, alpha, a, b = (mpmath.mpf(v) for v in params)
    for i in range(len(x)):
        xi, txi, Ti = (mpmath.mpf(float(v)) for v in (x[i], t_x[i], T[i]))
        z = t / (alpha + Ti + t)
        bracket = 1 - ((alpha + Ti) / (alpha + Ti + t)) ** (r + xi) * mpmath.hyp2f1(
            r + xi, b + xi, a + b + xi - 1, z
        )
        head = (a + b + xi - 1) / (a - 1) * bracket
        tail = 1 + (a / (b + xi - 1)) * ((alpha + Ti) / (alpha + txi)) ** (r + xi) if xi else 1
        assert ours[i] == pytest.approx(float(head / tail), rel=1e-8), i


def test_series_fallback_agrees_with_scipy_hyp2f1():
    from scipy.special import hyp2f1

    c = np.array([2.5, 10.0, 300.0])
    z = np.array([0.1, 0.6, 0.95])
    np.testing.assert_allclose(
        clv_bgnbd.hyp2f1_series(1.9, -0.2, c, z), hyp2f1(1.9, -0.2, c, z), rtol=1e-10
    )


def test_time_to_one_purchase_solves_expected_purchases_equal_to_one(cdnow_summary, cdnow_result):
    params = tuple(cdnow_result.bgnbd[name] for name in clv_bgnbd.PARAM_NAMES)
    x, t_x, T = (cdnow_summary[c].to_numpy()[:300] for c in ("frequency", "recency", "T"))
    wait = clv_bgnbd.time_to_one_purchase(params, x, t_x, T, t_max=520.0, tolerance=0.01)
    found = np.isfinite(wait)
    assert found.sum() > 100
    at_wait = clv_bgnbd.expected_purchases(params, x[found], t_x[found], T[found], wait[found])
    before = clv_bgnbd.expected_purchases(
        params, x[found], t_x[found], T[found], wait[found] - 0.01
    )
    assert (at_wait >= 1.0).all() and (before < 1.0).all()


# --- hand-checkable behaviour ---------------------------------------------------------


def test_p_alive_is_one_without_repeat_purchases(cdnow_result):
    one_timers = cdnow_result.per_customer.query("frequency == 0")
    assert len(one_timers) == 2357 - 946
    assert (one_timers["p_alive"] == 1.0).all()


def test_recent_frequent_buyer_is_more_alive_than_one_who_stopped(cdnow_result):
    params = tuple(cdnow_result.bgnbd[name] for name in clv_bgnbd.PARAM_NAMES)
    recent = clv_bgnbd.p_alive(params, np.array([8.0]), np.array([38.0]), np.array([39.0]))
    stopped = clv_bgnbd.p_alive(params, np.array([8.0]), np.array([6.0]), np.array([39.0]))
    assert recent[0] > 0.9 > 0.1 > stopped[0]


@settings(max_examples=60, deadline=None)
@given(
    x=st.integers(0, 60),
    recency_share=st.floats(0.0, 1.0),
    T=st.floats(0.1, 400.0),
    horizon=st.floats(0.5, 200.0),
)
def test_expected_purchases_grow_with_the_horizon(x, recency_share, T, horizon):
    params = (0.2426, 4.4136, 0.7929, 2.4259)
    t_x = np.array([recency_share * T if x else 0.0])
    args = (params, np.array([float(x)]), t_x, np.array([T]))
    shorter = clv_bgnbd.expected_purchases(*args, horizon)[0]
    longer = clv_bgnbd.expected_purchases(*args, horizon * 1.5)[0]
    assert np.isfinite(shorter) and shorter >= 0
    assert longer > shorter


def test_longer_horizon_gives_more_expected_orders_and_value(cdnow_transactions):
    short = compute_clv(
        cdnow_transactions, as_of=CALIBRATION_END, settings=ClvSettings(horizon_months=6)
    )
    long = compute_clv(
        cdnow_transactions, as_of=CALIBRATION_END, settings=ClvSettings(horizon_months=24)
    )
    assert (
        long.per_customer["expected_orders"].to_numpy()
        > short.per_customer["expected_orders"].to_numpy()
    ).all()
    assert long.per_customer["expected_value"].sum() > short.per_customer["expected_value"].sum()


def test_discounting_lowers_value_but_not_orders(cdnow_transactions, cdnow_result):
    discounted = compute_clv(
        cdnow_transactions,
        as_of=CALIBRATION_END,
        settings=ClvSettings(discount_rate_annual=0.15),
    )
    plain = cdnow_result.per_customer
    np.testing.assert_allclose(discounted.per_customer["expected_orders"], plain["expected_orders"])
    ratio = discounted.per_customer["expected_value"].sum() / plain["expected_value"].sum()
    # Orders spread over a year discounted at 15% lose roughly 6-7% of their value.
    assert 0.91 < ratio < 0.96
    assert any("discounted" in note for note in discounted.notes)


def test_daily_time_unit_fits_the_same_process(cdnow_transactions, cdnow_result):
    daily = compute_clv(
        cdnow_transactions, as_of=CALIBRATION_END, settings=ClvSettings(time_unit="D")
    )
    assert daily.bgnbd["method"] == "mle"
    assert daily.bgnbd["r"] == pytest.approx(cdnow_result.bgnbd["r"], rel=0.02)
    # alpha scales with the time unit: a week is seven days.
    assert daily.bgnbd["alpha"] == pytest.approx(7 * cdnow_result.bgnbd["alpha"], rel=0.02)
    np.testing.assert_allclose(
        daily.per_customer["expected_orders"].sum(),
        cdnow_result.per_customer["expected_orders"].sum(),
        rtol=0.01,
    )


def test_orders_after_as_of_are_ignored_and_same_day_orders_are_one_purchase():
    tx = _transactions(
        [
            ("ann", "2024-01-01 09:00", 20.0),
            ("ann", "2024-01-01 17:30", 5.0),
            ("ann", "2024-01-15", 40.0),
            ("ann", "2024-03-01", 999.0),
            ("bob", "2024-01-08", 12.0),
        ]
    )
    summary = rfm_summary(tx, as_of=pd.Timestamp("2024-01-29"), time_unit="W")
    ann = summary.set_index("customer_id").loc["ann"]
    assert ann["frequency"] == 1
    assert ann["recency"] == pytest.approx(2.0)
    assert ann["T"] == pytest.approx(4.0)
    assert ann["monetary_value"] == pytest.approx(40.0)
    assert ann["historic_clv"] == pytest.approx(65.0)
    bob = summary.set_index("customer_id").loc["bob"]
    assert (bob["frequency"], bob["monetary_value"], bob["T"]) == (0, 0.0, 3.0)


def test_calibration_end_cuts_the_window():
    tx = _transactions([("ann", "2024-01-01", 10.0), ("ann", "2024-02-01", 30.0)])
    summary = rfm_summary(
        tx,
        as_of=pd.Timestamp("2024-03-01"),
        time_unit="D",
        calibration_end=pd.Timestamp("2024-01-20"),
    )
    assert summary["frequency"].tolist() == [0.0]
    assert summary["T"].tolist() == [19.0]
    assert summary["historic_clv"].tolist() == [10.0]


def test_missing_dates_ids_and_revenue_and_timezones_are_tolerated():
    tx = pd.DataFrame(
        {
            "customer_id": ["ann", None, "ann", "bob"],
            "order_date": pd.to_datetime(
                ["2024-01-01 23:30", "2024-01-02 00:00", None, "2024-01-03 00:00"]
            ).tz_localize("Europe/Berlin"),
            "revenue": [10.0, 5.0, 7.0, np.nan],
        }
    )
    summary = rfm_summary(tx, as_of=pd.Timestamp("2024-01-10"), time_unit="D")
    assert summary.set_index("customer_id")["historic_clv"].to_dict() == {"ann": 10.0, "bob": 0.0}
    assert summary.set_index("customer_id")["T"].to_dict() == {"ann": 9.0, "bob": 7.0}


# --- degenerate data: fall back, say so, never crash --------------------------------------


def _repeat_buyers(n: int, *, value: float = 25.0, seed: int = 3) -> list[tuple[str, str, float]]:
    """n customers each with 1-4 orders on distinct days in early 2024."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        days = rng.choice(120, size=rng.integers(1, 5), replace=False)
        for d in days:
            date = (pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(d))).date()
            rows.append((f"c{i}", str(date), value * rng.uniform(0.5, 1.5)))
    return rows


def test_no_repeat_buyers_fall_back_to_run_rate_and_mean_order_value():
    tx = _transactions([(f"c{i}", f"2024-01-{1 + i % 28:02d}", 10.0 + i) for i in range(80)])
    result = compute_clv(tx, as_of=pd.Timestamp("2024-03-01"))
    assert result.bgnbd["method"] == "fallback:run-rate"
    assert result.bgnbd["r"] is None and result.bgnbd["converged"] is False
    assert result.gamma_gamma["method"] == "fallback:mean-order-value"
    assert any("BG/NBD fell back" in note for note in result.notes)
    assert any("only 0 repeat buyers (needs 20)" in note for note in result.notes)
    _assert_usable(result, 80)
    # With no Gamma-Gamma, each customer's own order value is the expectation.
    per = result.per_customer.set_index("customer_id")
    assert per.loc["c5", "expected_avg_value"] == pytest.approx(15.0)


def test_a_single_customer_falls_back():
    tx = _transactions([("solo", "2024-01-01", 30.0), ("solo", "2024-02-01", 50.0)])
    result = compute_clv(tx, as_of=pd.Timestamp("2024-03-01"))
    assert result.bgnbd["method"] == "fallback:run-rate"
    assert "only 1 customers (needs 50)" in result.bgnbd["reason"]
    _assert_usable(result, 1)
    solo = result.per_customer.iloc[0]
    assert solo["expected_avg_value"] == pytest.approx(40.0)
    assert 0 < solo["expected_orders"] < 12
    assert solo["expected_next_order_date"] > pd.Timestamp("2024-03-01")


def test_all_identical_customers_do_not_crash():
    rows = [(f"c{i}", day, 20.0) for i in range(100) for day in ("2024-01-01", "2024-02-01")]
    result = compute_clv(_transactions(rows), as_of=pd.Timestamp("2024-04-01"))
    _assert_usable(result, 100)
    assert result.per_customer["expected_value"].nunique() == 1
    assert result.bgnbd["method"] in ("mle", "fallback:run-rate")
    assert result.gamma_gamma["method"] in ("mle", "fallback:mean-order-value")
    assert len(result.notes) >= 2


def test_zero_and_negative_monetary_values_are_excluded_from_gamma_gamma():
    rows = _repeat_buyers(200)
    # Three repeat buyers whose later orders were refunded in full or more.
    rows += [("zero", "2024-01-01", 30.0), ("zero", "2024-01-20", 0.0)]
    rows += [("neg", "2024-01-01", 30.0), ("neg", "2024-01-20", -15.0)]
    rows += [("neg2", "2024-01-02", -5.0), ("neg2", "2024-01-09", -5.0)]
    result = compute_clv(_transactions(rows), as_of=pd.Timestamp("2024-05-01"))
    assert result.gamma_gamma["n_excluded_nonpositive"] == 3
    assert any("3 repeat buyers with zero or negative" in note for note in result.notes)
    _assert_usable(result, len({r[0] for r in rows}))
    per = result.per_customer.set_index("customer_id")
    assert per.loc["neg2", "historic_clv"] == -10.0
    assert per.loc["neg2", "expected_value"] >= 0.0


def test_few_repeat_buyers_name_the_gamma_gamma_fallback():
    rows = [(f"one{i}", "2024-01-05", 20.0) for i in range(60)]
    rows += [(f"rep{i}", day, 30.0) for i in range(7) for day in ("2024-01-02", "2024-02-02")]
    result = compute_clv(_transactions(rows), as_of=pd.Timestamp("2024-03-01"))
    assert result.gamma_gamma["method"] == "fallback:mean-order-value"
    # Seven repeat buyers drive plain BG/NBD to a -> 1e6, b -> 1e-6: it is refitted penalised.
    assert result.bgnbd["method"] == "mle" and result.bgnbd["penalizer"] == 0.1
    assert "extreme a = " in result.bgnbd["rescued_from"]
    assert 0.01 < result.bgnbd["a"] < 100 and 0.01 < result.bgnbd["b"] < 100
    assert any("refitted with penalizer 0.1" in note for note in result.notes)
    assert any(
        note.startswith(
            "Gamma-Gamma fell back to the mean order value: only 7 repeat buyers (needs 20)."
        )
        for note in result.notes
    )
    _assert_usable(result, 67)


def test_a_single_day_of_data():
    rows = [(f"c{i}", "2024-05-05", 10.0 * (i + 1)) for i in range(60)]
    result = compute_clv(_transactions(rows), as_of=pd.Timestamp("2024-05-05"))
    assert result.bgnbd["method"] == "fallback:run-rate"
    _assert_usable(result, 60)
    assert (result.per_customer["p_alive"] == 1.0).all()


def test_as_of_before_all_orders_gives_an_empty_result_with_a_note():
    result = compute_clv(_transactions(_repeat_buyers(30)), as_of=pd.Timestamp("2023-06-01"))
    assert result.per_customer.empty
    assert "expected_value" in result.per_customer.columns
    assert result.bgnbd["method"] == "fallback:run-rate"
    assert result.gamma_gamma["method"] == "fallback:mean-order-value"
    assert any("No orders up to the as-of date" in note for note in result.notes)


def test_predict_accepts_fallback_dicts_directly():
    summary = rfm_summary(
        _transactions(_repeat_buyers(5)), as_of=pd.Timestamp("2024-06-01"), time_unit="W"
    )
    bgnbd = fit_bgnbd(summary, min_customers=50)
    gamma_gamma = fit_gamma_gamma(summary, min_repeat_buyers=20)
    out = predict(
        summary, bgnbd, gamma_gamma, horizon_periods=52.0, as_of=pd.Timestamp("2024-06-01")
    )
    assert np.isfinite(out[PREDICTION_COLUMNS].to_numpy(dtype=float)).all()
    # A buyer gone quiet for months is less likely alive than one who just ordered.
    assert out["p_alive"].max() > out["p_alive"].min()


def test_predict_lines_up_with_any_summary_index(cdnow_summary, cdnow_result):
    subset = cdnow_summary.iloc[::7].set_index(cdnow_summary.index[::7] + 10_000)
    out = predict(
        subset,
        cdnow_result.bgnbd,
        cdnow_result.gamma_gamma,
        horizon_periods=52.0,
        as_of=CALIBRATION_END,
    )
    full = cdnow_result.per_customer.set_index("customer_id")
    ours = out.set_index("customer_id")
    # ClvSettings' 12 months are 52.18 weeks, so dates may differ by the odd day, no more.
    drift = ours["expected_next_order_date"] - full.loc[ours.index, "expected_next_order_date"]
    assert drift.dropna().abs().max() <= pd.Timedelta(days=2)
    assert ours["expected_next_order_date"].notna().sum() == (
        full.loc[ours.index, "expected_next_order_date"].notna().sum()
    )


def test_moderate_real_looking_data_fits_by_mle():
    result = compute_clv(_transactions(_repeat_buyers(400)), as_of=pd.Timestamp("2024-06-01"))
    assert result.bgnbd["method"] == "mle"
    assert result.gamma_gamma["method"] == "mle"
    _assert_usable(result, 400)


def test_settings_are_validated_all_at_once():
    with pytest.raises(ValueError) as excinfo:
        ClvSettings(horizon_months=0, time_unit="M", penalizer=-1.0)
    message = str(excinfo.value)
    assert "horizon_months" in message and "time_unit" in message and "penalizer" in message
    assert ClvSettings(horizon_months=6, time_unit="D").horizon_periods == pytest.approx(182.625)


_orders = st.lists(
    st.tuples(
        st.integers(0, 12),  # customer
        st.integers(0, 400),  # day offset
        st.one_of(st.just(0.0), st.floats(-50.0, 500.0, allow_nan=False)),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(orders=_orders, as_of_day=st.integers(-10, 450), unit=st.sampled_from(["D", "W"]))
def test_any_small_shop_gets_finite_non_negative_predictions(orders, as_of_day, unit):
    """Invariant: whatever the data, with the model thresholds as low as they go, no crash,
    no NaN, nothing negative, and a next order date never before the as-of date."""
    start = pd.Timestamp("2024-01-01")
    tx = pd.DataFrame(
        {
            "customer_id": [f"c{c}" for c, _, _ in orders],
            "order_date": [start + pd.Timedelta(days=d) for _, d, _ in orders],
            "revenue": [v for _, _, v in orders],
        }
    )
    as_of = start + pd.Timedelta(days=as_of_day)
    loose = ClvSettings(time_unit=unit, min_customers=1, min_repeat_buyers=1)
    result = compute_clv(tx, as_of=as_of, settings=loose)
    n_customers = tx.loc[tx["order_date"] <= as_of, "customer_id"].nunique()
    _assert_usable(result, n_customers)
    dates = result.per_customer["expected_next_order_date"].dropna()
    assert (dates > as_of).all()
    assert result.bgnbd["method"] in ("mle", "fallback:run-rate")
    assert result.gamma_gamma["method"] in ("mle", "fallback:mean-order-value")
    assert result.notes
