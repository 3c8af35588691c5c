"""Maximum likelihood over log-parameters with several starts, shared by the CLV models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

# Natural parameters are kept inside [e^-LOG_BOUND, e^LOG_BOUND]: wide enough for any real
# data set, narrow enough that gammaln/betaln and the predictions stay finite at the edge.
LOG_BOUND = 18.0
# A fit whose largest gradient component (of the mean negative LL, in log-parameters) is
# below this is accepted even when L-BFGS-B stops with a line-search warning.
GRADIENT_TOLERANCE = 1e-4

# A parameter further than this factor from its centre (1, or the data's scale) is taken as
# a sign the data cannot identify the model (e.g. a -> 1e6, b -> 1e-6 on a handful of buyers).
EXTREME_FACTOR = 1e4

LogLikelihood = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class MleFit:
    """The best fit found: natural-scale parameters, total log-likelihood and diagnostics."""

    params: np.ndarray
    log_likelihood: float
    converged: bool
    at_bound: tuple[int, ...]
    message: str


def maximise(
    log_likelihood: LogLikelihood,
    starts: Sequence[np.ndarray],
    *,
    n_obs: int,
    penalizer: float = 0.0,
    centre: np.ndarray | None = None,
) -> MleFit:
    """Maximise `log_likelihood` (natural params → (LL sum, gradient)) over log-params.

    Starts are tried in order and the first converged fit is kept; if none converges the
    best finite one is returned with `converged=False`. The objective is the mean negative
    LL plus `penalizer` × the squared distance of the log-parameters from log(`centre`)
    (default all 1): it shrinks towards `centre`, so scale parameters keep the data's units.
    """
    scale = 1.0 / max(n_obs, 1)
    ref = np.zeros(len(starts[0])) if centre is None else np.log(np.asarray(centre, dtype=float))

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(theta)
        with np.errstate(all="ignore"):  # over/underflow is handled as a non-finite value
            ll, grad = log_likelihood(params)
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            # Steer the optimiser away from a region where the likelihood breaks down.
            return 1e300, np.zeros_like(theta)
        value = -ll * scale + penalizer * float((theta - ref) @ (theta - ref))
        gradient = -grad * params * scale + 2.0 * penalizer * (theta - ref)
        return value, gradient

    best: MleFit | None = None
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(starts[0])
    for start in starts:
        theta0 = np.log(np.asarray(start, dtype=float))
        res = minimize(objective, theta0, jac=True, method="L-BFGS-B", bounds=bounds)
        fit = _to_fit(res, log_likelihood, objective)
        if fit is None:
            continue
        if best is None or (fit.converged, fit.log_likelihood) > (
            best.converged,
            best.log_likelihood,
        ):
            best = fit
        if fit.converged:
            break
    if best is None:
        nan = np.full(len(starts[0]), np.nan)
        return MleFit(nan, float("nan"), False, (), "no start gave a finite likelihood")
    return best


def _to_fit(res, log_likelihood: LogLikelihood, objective) -> MleFit | None:
    """Turn a scipy result into an MleFit, or None when the likelihood is not finite."""
    params = np.exp(res.x)
    with np.errstate(all="ignore"):
        ll, _ = log_likelihood(params)
    if not np.isfinite(ll) or not np.all(np.isfinite(params)):
        return None
    _, gradient = objective(res.x)
    at_bound = tuple(int(i) for i in np.flatnonzero(np.abs(res.x) >= LOG_BOUND - 1e-6))
    # At a bound the free gradient component need not vanish: judge only the interior ones.
    interior = np.abs(res.x) < LOG_BOUND - 1e-6
    small_gradient = bool(np.all(np.abs(gradient[interior]) < GRADIENT_TOLERANCE))
    converged = bool(res.success or small_gradient)
    return MleFit(params, float(ll), converged, at_bound, str(res.message))


def extreme_parameters(params: np.ndarray, centre: np.ndarray) -> tuple[int, ...]:
    """Indices of parameters more than EXTREME_FACTOR away from their centre, either way."""
    distance = np.abs(np.log(np.asarray(params, dtype=float) / np.asarray(centre, dtype=float)))
    return tuple(int(i) for i in np.flatnonzero(~(distance <= np.log(EXTREME_FACTOR))))
