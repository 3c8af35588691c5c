"""Metrics settings: every knob of the dashboard's numbers, exposed under `metrics:` in eclp.yaml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from eclp.metrics.clv import ClvSettings

# The widely copied 10-segment map on the two-character R+F score string (lessons-from-the-field).
# Patterns match the WHOLE string; the first pattern that matches wins.
DEFAULT_SEGMENT_MAP: dict[str, str] = {
    "5[4-5]": "Champions",
    "[3-4][4-5]": "Loyal Customers",
    "[4-5][2-3]": "Potential Loyalists",
    "51": "New Customers",
    "41": "Promising",
    "33": "Need Attention",
    "3[1-2]": "About to Sleep",
    "[1-2][3-4]": "At Risk",
    "[1-2]5": "Can't Lose",
    "[1-2][1-2]": "Hibernating",
}
# Sources whose orders are payments of shop orders (folded into the shop order when they match).
DEFAULT_PAYMENT_SOURCES = ("stripe", "paypal", "square", "payment", "adyen", "braintree", "klarna")
ATTRIBUTION_MODELS = ("first_touch", "last_touch", "linear")


@dataclass(frozen=True)
class MetricsSettings:
    """How revenue, RFM, ABC, channels and CLV are computed; validated on construction."""

    currency: str = "USD"
    gross_margin: float = 0.5
    fulfilment_cost_per_order: float = 0.0
    frequency_bins: tuple[int, ...] = (1, 2, 3, 5, 8)
    segment_map: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SEGMENT_MAP))
    abc_thresholds: tuple[float, float] = (0.80, 0.95)
    attribution: str = "first_touch"
    payment_sources: tuple[str, ...] = DEFAULT_PAYMENT_SOURCES
    duplicate_payment_tolerance: float = 0.01
    clv: ClvSettings = field(default_factory=ClvSettings)
    max_excel_rows: int = 1_048_575

    def __post_init__(self) -> None:
        problems = [*_bin_problems(self.frequency_bins), *_abc_problems(self.abc_thresholds)]
        if not 0.0 <= self.gross_margin <= 1.0:
            problems.append(f"gross_margin must be between 0 and 1, not {self.gross_margin}")
        if self.attribution not in ATTRIBUTION_MODELS:
            problems.append(f"attribution must be one of {', '.join(ATTRIBUTION_MODELS)}")
        if self.max_excel_rows < 1:
            problems.append("max_excel_rows must be at least 1")
        for pattern in self.segment_map:
            try:
                re.compile(pattern)
            except re.error as exc:
                problems.append(f"segment_map pattern {pattern!r} is not a valid regex: {exc}")
        if problems:
            raise ValueError("; ".join(problems))


def _bin_problems(bins: tuple[int, ...]) -> list[str]:
    if len(bins) != 5:
        return [f"frequency_bins needs 5 lower bounds (F = 1..5), got {len(bins)}"]
    if list(bins) != sorted(set(bins)) or bins[0] < 1:
        return ["frequency_bins must be strictly increasing order counts starting at 1 or more"]
    return []


def _abc_problems(thresholds: tuple[float, float]) -> list[str]:
    if len(thresholds) != 2 or not 0 < thresholds[0] < thresholds[1] <= 1:
        return ["abc_thresholds must be two shares 0 < A < B <= 1, e.g. [0.8, 0.95]"]
    return []
