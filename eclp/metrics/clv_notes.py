"""Plain sentences about the CLV models for the workbook's Models sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eclp.metrics.clv import ClvSettings


def model_notes(
    bgnbd: dict, gamma_gamma: dict, settings: ClvSettings, n_customers: int
) -> tuple[str, ...]:
    """Plain sentences for the Models sheet: what was fitted, what fell back and why."""
    notes = [*_bgnbd_notes(bgnbd, settings, n_customers), *_gamma_gamma_notes(gamma_gamma)]
    if settings.discount_rate_annual > 0:
        notes.append(f"Expected value is discounted at {settings.discount_rate_annual:.1%} a year.")
    if n_customers == 0:
        notes.append("No orders up to the as-of date: there is no customer to value.")
    return tuple(notes)


def _bgnbd_notes(bgnbd: dict, settings: ClvSettings, n_customers: int) -> list[str]:
    """What the purchase model did."""
    if bgnbd["method"] != "mle":
        return [
            f"BG/NBD fell back to the historic run-rate: {bgnbd['reason']}. Expected orders are "
            "each customer's purchase days per period observed (plus one horizon), times a "
            "heuristic chance of still being active."
        ]
    notes = [
        f"BG/NBD fitted by maximum likelihood on {n_customers} customers "
        f"({bgnbd['n_repeat_buyers']} repeat buyers): r = {bgnbd['r']:.4g}, "
        f"alpha = {bgnbd['alpha']:.4g}, a = {bgnbd['a']:.4g}, b = {bgnbd['b']:.4g} "
        f"(time unit {settings.time_unit}); expected orders over the next "
        f"{settings.horizon_months} months."
    ]
    notes += _caveats("BG/NBD", bgnbd)
    return notes


def _gamma_gamma_notes(gamma_gamma: dict) -> list[str]:
    """What the spend model did, and who was left out of it."""
    if gamma_gamma["method"] == "mle":
        notes = [
            f"Gamma-Gamma fitted on {gamma_gamma['n_repeat_buyers']} repeat buyers: "
            f"p = {gamma_gamma['p']:.4g}, q = {gamma_gamma['q']:.4g}, "
            f"gamma = {gamma_gamma['v']:.4g}.",
            *_caveats("Gamma-Gamma", gamma_gamma),
        ]
    else:
        notes = [
            f"Gamma-Gamma fell back to the mean order value: {gamma_gamma['reason']}. Each "
            "customer's own mean order value is used, or the overall mean "
            f"({gamma_gamma['mean_order_value']:.2f}) when theirs is not positive."
        ]
    if gamma_gamma["n_excluded_nonpositive"]:
        notes.append(
            f"{gamma_gamma['n_excluded_nonpositive']} repeat buyers with zero or negative "
            "average order value (refunds) were left out of the Gamma-Gamma fit; their "
            "expected order value is shrunk towards zero, never below it."
        )
    return notes


def _caveats(model: str, fit: dict) -> list[str]:
    """Warnings about a fit that succeeded only with help, or with a parameter at its edge."""
    notes = []
    if fit.get("rescued_from"):
        notes.append(
            f"{model}: the plain fit was unusable because {fit['rescued_from']}; it was "
            f"refitted with penalizer {fit['penalizer']:g}, so treat its predictions as rough."
        )
    if fit.get("at_bound"):
        notes.append(
            f"{model} parameter(s) {', '.join(fit['at_bound'])} reached the edge of the "
            "search range: the data barely identify them; treat predictions as rough."
        )
    return notes
