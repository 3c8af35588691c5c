"""The few named special behaviours a profile may ask for, applied after column mapping.

Each behaviour takes the canonical frame (raw strings or None, plus the file row `_row`) and
the file's context, and returns the frame with some rows changed or dropped, plus a rejects
frame for every row it dropped on purpose, so that read = accepted + rejected still holds.
Helper fields (`_time`, `_type`, …) that only behaviours read are removed at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from eclp.sources.profile import Profile

ROW = "_row"
REJECT_COLUMNS = (ROW, "column", "value", "reason")


@dataclass(frozen=True)
class FileContext:
    """What a behaviour may know about the file beyond its rows."""

    file_name: str  # e.g. "subscribed_members_export_2a1b.csv" or "export.zip/cleaned_….csv"
    preamble: tuple[str, ...] = ()  # the reader's lines above the header (titles, # comments)
    footer: tuple[str, ...] = ()  # the reader's lines below the table


Result = tuple[pd.DataFrame, pd.DataFrame]
Behaviour = Callable[[pd.DataFrame, FileContext], Result]


def apply_behaviours(frame: pd.DataFrame, profile: Profile, context: FileContext) -> Result:
    """Apply the profile's behaviours in order; (frame, rejects of rows dropped on purpose)."""
    rejects = [_no_rejects()]
    for name in profile.behaviours:
        frame, dropped = BEHAVIOURS[name](frame, context)
        rejects.append(dropped)
    helpers = [c for c in frame.columns if str(c).startswith("_") and c != ROW]
    if helpers:
        frame = frame.drop(columns=helpers)
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
        frame = frame.reset_index(drop=True)
    return frame, pd.concat(rejects, ignore_index=True)


# ---------------------------------------------------------------- helpers


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == ROW else "object") for c in REJECT_COLUMNS}
    )


def _per_unique(values: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """func applied once per distinct value (exports repeat values), None/NaN passed as None."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques]
    mapped[-1] = func(None)  # code -1: missing
    return pd.Series(mapped[codes], index=values.index, dtype="object")


def _per_unique_row(columns: list[pd.Series], func: Callable[..., object]) -> pd.Series:
    """func applied once per distinct combination of values across aligned columns."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        key = key * (len(uniques) + 1) + (codes + 1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    arrays = [column.to_numpy(dtype=object) for column in columns]
    mapped = np.empty(len(first), dtype=object)
    mapped[:] = [func(*(array[i] for array in arrays)) for i in first]
    return pd.Series(mapped[inverse.reshape(-1)], index=columns[0].index, dtype="object")


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column, or an all-None one when the file lacks it."""
    if column in frame.columns:
        return frame[column]
    return pd.Series(None, index=frame.index, dtype="object")


def _strip(value: object) -> str:
    """A cell as stripped text, '' for None/NaN."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped strings, '' where blank or absent."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype="object")
    return _per_unique(frame[column], _strip)


def _folded(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column stripped, case-folded, runs of spaces/underscores as one space."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype="object")
    return _per_unique(
        frame[column], lambda v: " ".join(_strip(v).casefold().replace("_", " ").split())
    )


def _drop(frame: pd.DataFrame, mask: pd.Series, column: str, reason: str) -> Result:
    """Split off the rows under mask as rejects carrying the column's value and the reason."""
    dropped = frame.loc[mask]
    rejects = pd.DataFrame(
        {
            ROW: dropped[ROW].astype("int64") if ROW in dropped else pd.Series(dtype="int64"),
            "column": column,
            "value": _text(dropped, column) if len(dropped) else pd.Series(dtype="object"),
            "reason": reason,
        }
    )
    return frame.loc[~mask], rejects.reset_index(drop=True)


def _data_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != ROW]


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    columns = _data_columns(frame)
    if not columns:
        return pd.Series(True, index=frame.index)
    return pd.concat([_text(frame, c) == "" for c in columns], axis=1).all(axis=1)


def _first_column_matching(frame: pd.DataFrame, pattern: re.Pattern[str]) -> tuple[pd.Series, str]:
    """Rows where any field matches, and the first column that did (for the reject record)."""
    mask = pd.Series(False, index=frame.index)
    first = ""
    for column in _data_columns(frame):
        hits = _per_unique(frame[column], lambda v: bool(pattern.search(_strip(v)))).astype(bool)
        if hits.any() and not first:
            first = column
        mask |= hits
    return mask, first


# ---------------------------------------------------------------- Mailchimp consent

# Longest first: "unsubscribed_" also ends in "subscribed_".
_STATUS_FROM_NAME = re.compile(r"^(unsubscribed|nonsubscribed|cleaned|subscribed)(?:[_\-. ]|$)")


def consent_from_file_name(frame: pd.DataFrame, context: FileContext) -> Result:
    """Mailchimp: a row's status and consent follow from which file of the export it is in."""
    name = PurePosixPath(context.file_name.replace("\\", "/")).name.casefold()
    match = _STATUS_FROM_NAME.match(name)
    if not match:
        return frame, _no_rejects()
    status = match.group(1)
    return frame.assign(
        email_status=status, email_consent="yes" if status == "subscribed" else "no"
    ), _no_rejects()


# ---------------------------------------------------------------- totals and footers

_TOTAL = re.compile(r"(?i)^(?:total\b\s*:|totals?$|grand totals?\b|account total\b)")
_FOOTER = re.compile(
    r"(?i)^(?:grand totals?\s*\(\d[\d,.]*\s+records?\)|confidential information\b|copyright\s*\(c\))"
)


def drop_total_rows(frame: pd.DataFrame, context: FileContext) -> Result:
    """Google Ads `Total: …`, GA4 `Grand total` and similar summary rows are not data."""
    mask, column = _first_column_matching(frame, _TOTAL)
    return _drop(frame, mask, column, "total row") if mask.any() else (frame, _no_rejects())


def drop_account_total_row(frame: pd.DataFrame, context: FileContext) -> Result:
    """Meta Ads: a first data row with a blank campaign name is the account total."""
    if frame.empty or ROW not in frame.columns:
        return frame, _no_rejects()
    first = frame[ROW] == frame[ROW].min()
    mask = first & (_text(frame, "campaign") == "")
    if not mask.any():
        return frame, _no_rejects()
    return _drop(frame, mask, "campaign", "account total row")


def strip_report_footer(frame: pd.DataFrame, context: FileContext) -> Result:
    """Salesforce reports: `Grand Totals (n records)`, confidentiality and copyright lines.

    Blank lines after the last data row belong to the footer too.
    """
    footer, column = _first_column_matching(frame, _FOOTER)
    blank = _blank_rows(frame)
    data_rows = frame.loc[~footer & ~blank, ROW] if ROW in frame else pd.Series(dtype="int64")
    last_data = data_rows.max() if len(data_rows) else -1
    trailing_blank = blank & (frame[ROW] > last_data) if ROW in frame else blank & False
    frame, rejects = _drop(frame, footer, column, "report footer line")
    frame, blanks = _drop(frame, trailing_blank.loc[frame.index], "", "blank line in report footer")
    return frame, pd.concat([rejects, blanks], ignore_index=True)


# ---------------------------------------------------------------- dates from the preamble

_MONTH_DATE = r"([A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})"
_TITLE_RANGE = re.compile(_MONTH_DATE + r"\s*[-–]\s*" + _MONTH_DATE)
_COMMENT_DATE = re.compile(r"(?i)^#\s*(start|end) date\s*:\s*(\d{8})\s*$")


def _month_date(text: str) -> str | None:
    """`September 29, 2025` or `Sep 29, 2025` as ISO `2025-09-29`."""
    text = text.replace(".", "")
    for fmt in ("%B %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _fill(frame: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    """Set a column to value where it is blank or absent."""
    current = _text(frame, column)
    filled = frame[column].where(current != "", value) if column in frame else value
    return frame.assign(**{column: filled})


def date_from_title(frame: pd.DataFrame, context: FileContext) -> Result:
    """Google Ads: rows without a `Day` column take the report's start date from its title."""
    for line in context.preamble:
        match = _TITLE_RANGE.search(line)
        start = _month_date(match.group(1)) if match else None
        if start:
            return _fill(frame, "date", start), _no_rejects()
    return frame, _no_rejects()


def period_from_comments(frame: pd.DataFrame, context: FileContext) -> Result:
    """GA4: `# Start date: 20260501` / `# End date: …` give every row its period."""
    for line in context.preamble:
        match = _COMMENT_DATE.match(line.strip().strip('"'))
        if match:
            day = datetime.strptime(match.group(2), "%Y%m%d").date().isoformat()
            frame = _fill(frame, f"period_{match.group(1).lower()}", day)
    return frame, _no_rejects()


# ---------------------------------------------------------------- consent and scores

_SUBSCRIBED = {"subscribed", "opted in", "optedin", "yes"}
_NOT_SUBSCRIBED = re.compile(
    r"(?i)^(?:un|non|never|not|no)[ _-]?subscribed$|^cleaned$|^suppressed$"
)


def email_consent_from_status(frame: pd.DataFrame, context: FileContext) -> Result:
    """Klaviyo/Square: `SUBSCRIBED` / `NEVER_SUBSCRIBED` words become consent yes/no.

    The word itself is kept, lower-cased, as the email status.
    """
    lowered = _folded(frame, "email_consent")
    consent = (
        frame["email_consent"] if "email_consent" in frame else pd.Series(None, index=frame.index)
    )
    consent = consent.where(~lowered.isin(_SUBSCRIBED), "yes")
    consent = consent.where(~lowered.map(lambda v: bool(_NOT_SUBSCRIBED.match(v))), "no")
    out = frame.assign(email_consent=consent)
    status = lowered.where(lowered != "", None)
    if "email_status" in out:
        status = out["email_status"].where(_text(out, "email_status") != "", status)
    return out.assign(email_status=status), _no_rejects()


_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


def invert_email_opt_out(frame: pd.DataFrame, context: FileContext) -> Result:
    """Salesforce `HasOptedOutOfEmail` (mapped to email_consent) means the opposite of consent."""
    if "email_consent" not in frame:
        return frame, _no_rejects()
    flags = _folded(frame, "email_consent")
    inverted = frame["email_consent"].where(~flags.isin(_TRUE), "no")
    inverted = inverted.where(~flags.isin(_FALSE), "yes")
    return frame.assign(email_consent=inverted), _no_rejects()


# Zendesk's Good/Bad and Freshdesk's seven-point smiley scale on one 0..1 scale.
_SATISFACTION = {
    "good": 1.0,
    "bad": 0.0,
    "extremely happy": 1.0,
    "very happy": 0.83,
    "happy": 0.67,
    "neutral": 0.5,
    "unhappy": 0.33,
    "very unhappy": 0.17,
    "extremely unhappy": 0.0,
    "offered": None,
    "unoffered": None,
    "not offered": None,
}


def satisfaction_score(frame: pd.DataFrame, context: FileContext) -> Result:
    """Satisfaction labels become a 0..1 score; `Offered`-style non-answers become blank."""
    if "score" not in frame:
        return frame, _no_rejects()
    labels = _folded(frame, "score")
    known = labels.isin(_SATISFACTION)
    mapped = labels.map(_SATISFACTION).map(lambda v: None if pd.isna(v) else str(v))
    return frame.assign(score=frame["score"].where(~known, mapped)), _no_rejects()


# ---------------------------------------------------------------- orders


def cancelled_status(frame: pd.DataFrame, context: FileContext) -> Result:
    """Shopify: an order with `Cancelled at` set is cancelled, whatever its financial status."""
    if "_cancelled_at" not in frame:
        return frame, _no_rejects()
    stamp = frame["_cancelled_at"]
    cancelled = stamp.notna() & (stamp.astype("string").str.strip() != "").fillna(False)
    status = frame["status"] if "status" in frame else pd.Series(None, index=frame.index)
    frame = frame.copy(deep=False)  # a new column, not a copy of a million-row frame
    frame["status"] = status.where(~cancelled.to_numpy(dtype=bool), "cancelled")
    return frame, _no_rejects()


def incoming_payments_only(frame: pd.DataFrame, context: FileContext) -> Result:
    """PayPal activity: only money received is a sale; transfers, fees and purchases are not."""
    impact = _folded(frame, "_balance_impact")
    if (impact != "").any():
        mask = impact != "credit"
        column, reason = "_balance_impact", "not an incoming payment (Balance Impact not Credit)"
    else:
        mask = _per_unique(
            frame.get("total", pd.Series(None, index=frame.index)),
            lambda v: _strip(v).startswith("-"),
        ).astype(bool)
        column, reason = "total", "not an incoming payment (negative gross)"
    return _drop(frame, mask, column, reason) if mask.any() else (frame, _no_rejects())


_TZ_OFFSETS = {
    "UTC": "+0000", "GMT": "+0000", "Z": "+0000", "WET": "+0000", "BST": "+0100", "IST": "+0530",
    "CET": "+0100", "CEST": "+0200", "MET": "+0100", "MEST": "+0200", "EET": "+0200",
    "EEST": "+0300", "EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
    "MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700", "AKST": "-0900",
    "AKDT": "-0800", "HST": "-1000", "AEST": "+1000", "AEDT": "+1100", "JST": "+0900",
}  # fmt: skip
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_DECIMAL_COMMA = re.compile(r",\d{2}$")


def _day_first(dates: pd.Series, money: pd.Series) -> bool:
    """Whether a column of dd/mm or mm/dd dates is day-first, judged on the whole file."""
    parts = [m.groups() for d in dates.unique() if (m := _DMY.match(str(d)))]
    if not parts:
        return False
    if any(int(first) > 12 for first, _, _ in parts):
        return True
    if any(int(second) > 12 for _, second, _ in parts):
        return False
    # Undecidable from the dates alone: a decimal comma (1.234,56) means a European locale.
    return any(_DECIMAL_COMMA.search(str(m)) for m in money.unique())


def _iso_date(text: str, day_first: bool) -> str | None:
    """`10/01/2025` as `2025-10-01` (or `2025-01-10` day-first); None when not such a date."""
    match = _DMY.match(text)
    if not match:
        return None
    first, second, year = match.groups()
    day, month = (first, second) if day_first else (second, first)
    return f"{year}-{month.zfill(2)}-{day.zfill(2)}"


def join_date_time(frame: pd.DataFrame, context: FileContext) -> Result:
    """PayPal: `Date` + `Time` + `TimeZone` columns become one ISO timestamp with its offset.

    Day/month order follows the file's locale, judged on all its dates at once.
    """
    if "order_date" not in frame:
        return frame, _no_rejects()
    dates = _text(frame, "order_date")
    day_first = _day_first(dates, _text(frame, "total"))
    columns = [frame["order_date"], _column(frame, "_time"), _column(frame, "_timezone")]

    def stamp(day: object, time: object, zone: object) -> object:
        iso = _iso_date(_strip(day), day_first)
        if iso is None:
            return day  # not a d/m/y date: left for normalisation to judge
        offset = _TZ_OFFSETS.get(_strip(zone).upper(), "")
        return f"{iso} {_strip(time) or '00:00:00'} {offset}".rstrip()

    return frame.assign(order_date=_per_unique_row(columns, stamp)), _no_rejects()


BEHAVIOURS: dict[str, Behaviour] = {
    "consent_from_file_name": consent_from_file_name,
    "drop_total_rows": drop_total_rows,
    "drop_account_total_row": drop_account_total_row,
    "strip_report_footer": strip_report_footer,
    "date_from_title": date_from_title,
    "period_from_comments": period_from_comments,
    "email_consent_from_status": email_consent_from_status,
    "invert_email_opt_out": invert_email_opt_out,
    "satisfaction_score": satisfaction_score,
    "cancelled_status": cancelled_status,
    "incoming_payments_only": incoming_payments_only,
    "join_date_time": join_date_time,
}
