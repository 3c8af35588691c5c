"""The ingest pipeline's entry point: a mapped export frame in, typed canonical columns out."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from eclp.canonical import (
    DATE_FIELDS,
    FIELDS_BY_KIND,
    FLAG_FIELDS,
    KINDS,
    MONEY_FIELDS,
    NUMBER_FIELDS,
    PERSON_KINDS,
    TIMESTAMP_FIELDS,
)
from eclp.errors import ConfigError
from eclp.normalize._unique import as_object, map_unique
from eclp.normalize.address import clean_postcode, clean_region, country_code, country_code_value
from eclp.normalize.channel import normalize_channel
from eclp.normalize.dates import check_timezone, parse_dates, parse_timestamps
from eclp.normalize.email import clean_email
from eclp.normalize.flags import parse_flag
from eclp.normalize.money import parse_money, parse_number
from eclp.normalize.names import clean_name, join_name, split_full_name
from eclp.normalize.phone import to_e164
from eclp.normalize.text import clean_text, clean_text_value

ISSUE_COLUMNS = ("index", "column", "value", "reason")
NAME_FIELDS = ("first_name", "last_name", "full_name")
# A people row needs one of these to be anybody at all.
IDENTIFYING_FIELDS = (
    "source_record_id", "customer_ref", "email", "phone", "first_name", "last_name",
    "full_name", "loyalty_id",
)  # fmt: skip
# Blank -> the row is rejected "missing <field>".
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "orders": ("order_id",),
    "costs": ("order_id", "cost"),
}
# Present but unparseable -> the row is rejected (elsewhere the value is blanked with a warning).
MUST_PARSE_FIELDS: dict[str, tuple[str, ...]] = {
    "orders": ("order_date", "total"),
    "interactions": ("occurred_at",),
    "spend": ("spend",),
    "costs": ("cost",),
}
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
Reason = str | Callable[[object], str]


@dataclass(frozen=True)
class NormalizeOptions:
    """How to read one source's values (the `options:` of a source in eclp.yaml)."""

    date_format: str | None = None  # strftime format, applies to all date/time fields
    dayfirst: bool | None = None
    decimal: str | None = None  # "," or "."; None = infer per column
    country: str | None = None  # default ISO2 for phones/addresses when a row has none
    # ISO2 codes to try, in order, for a national phone number not valid in its row's country
    # (a US shop's loyalty list from a Manchester store: 0161 496 0000).
    phone_countries: tuple[str, ...] = ()
    currency: str | None = None  # default currency code when a row has none
    timezone: str = "UTC"  # zone of naive timestamps in the export
    channel_aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NormalizedFrame:
    """Typed rows kept, rows rejected (one entry per row) and values blanked (rows kept)."""

    frame: pd.DataFrame  # typed canonical columns, same index as the input, rejected rows removed
    rejects: pd.DataFrame  # columns: index (input index label), column, value, reason
    # Same columns: values blanked because invalid (e.g. bad email), row kept. The reason is
    # plain ("invalid email"): the raw value is in `value`, so reasons group and mask cleanly.
    warnings: pd.DataFrame


def normalize_frame(kind: str, frame: pd.DataFrame, options: NormalizeOptions) -> NormalizedFrame:
    """Normalise every canonical column of `frame` for `kind`; unknown columns pass through.

    Rejection reasons name the field and raw value ("unparseable order_date
    '31/31/2024'"); a row breaking several rules is rejected once, for the first.
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    _check_options(options)
    fields = set(FIELDS_BY_KIND[kind])
    issues = _Issues(frame.index)
    out: dict[str, pd.Series] = {
        name: (frame[name] if name not in fields else as_object(frame[name]))
        for name in frame.columns
    }
    country = _normalize_country(out, issues, options)
    for name in list(out):
        if name in fields and name not in ("country", *NAME_FIELDS):
            _normalize_field(kind, name, out, issues, options, country)
    if kind in PERSON_KINDS:
        _normalize_names(out)
    if "currency" in fields:
        _normalize_currency(out, issues, options)
    _apply_row_rules(kind, out, issues)
    typed = pd.DataFrame(out, index=frame.index)
    keep = ~issues.rejected
    return NormalizedFrame(typed[keep], issues.rejects_frame(), issues.warnings_frame())


def _check_options(options: NormalizeOptions) -> None:
    """ConfigError for options no value could satisfy."""
    check_timezone(options.timezone)
    if options.decimal not in (None, ",", "."):
        raise ConfigError(f"decimal must be ',' or '.', not {options.decimal!r}")
    if options.country is not None and country_code_value(options.country) is None:
        raise ConfigError(f"unknown country {options.country!r}: use an ISO code like 'GB'")
    for code in options.phone_countries:
        if country_code_value(code) != code:
            raise ConfigError(f"unknown phone country {code!r}: use an ISO code like 'GB'")


def _normalize_country(
    out: dict[str, pd.Series], issues: _Issues, options: NormalizeOptions
) -> pd.Series:
    """ISO2 per row (into out['country'] when present), defaulting to options.country."""
    default = country_code_value(options.country) if options.country else None
    if "country" not in out:
        return pd.Series(default, index=issues.index, dtype=object)
    raw = out["country"]
    code = country_code(raw)
    issues.warn(_present(raw, code.isna().to_numpy()), "country", raw, "unknown country")
    out["country"] = code
    return code.fillna(default) if default else code


def _normalize_field(
    kind: str,
    name: str,
    out: dict[str, pd.Series],
    issues: _Issues,
    options: NormalizeOptions,
    country: pd.Series,
) -> None:
    """One canonical column replaced by its typed, cleaned form; problems recorded."""
    raw = out[name]
    if name == "email":
        out["email_raw"] = raw
        value = clean_email(raw)
        issues.warn(_present(raw, value.isna().to_numpy()), name, raw, "invalid email")
    elif name == "phone":
        out["phone_raw"] = raw
        value = to_e164(raw, country, fallback=options.phone_countries)
        issues.warn(_present(raw, value.isna().to_numpy()), name, raw, "invalid phone")
    elif name == "postcode":
        value = clean_postcode(raw, country)
    elif name == "region":
        value = clean_region(raw)
    elif name == "channel":
        value = normalize_channel(raw, options.channel_aliases)
    elif name in TIMESTAMP_FIELDS or name in DATE_FIELDS:
        value = _parse_time(name, raw, options)
        _record_unparseable(kind, name, raw, value.isna().to_numpy(), issues)
    elif name in MONEY_FIELDS or name in NUMBER_FIELDS:
        parse = parse_money if name in MONEY_FIELDS else parse_number
        value = parse(raw, decimal=options.decimal)
        _record_unparseable(kind, name, raw, value.isna().to_numpy(), issues)
    elif name in FLAG_FIELDS:
        value = parse_flag(raw)
        issues.warn(_present(raw, value.isna().to_numpy()), name, raw, "unrecognised flag")
    elif name == "currency":
        return  # after the row loop: it needs its default
    else:
        value = clean_text(raw)
    out[name] = value


def _parse_time(name: str, raw: pd.Series, options: NormalizeOptions) -> pd.Series:
    """A timestamp (UTC-naive) or date (midnight) column."""
    hint = country_code_value(options.country) if options.country else None
    common = {"date_format": options.date_format, "dayfirst": options.dayfirst, "country": hint}
    if name in TIMESTAMP_FIELDS:
        return parse_timestamps(raw, timezone=options.timezone, **common)
    return parse_dates(raw, **common)


def _record_unparseable(
    kind: str, name: str, raw: pd.Series, failed: np.ndarray, issues: _Issues
) -> None:
    """Reject the row when the field must parse for this kind, else warn (the value is blank)."""
    bad = _present(raw, failed)
    if name in MUST_PARSE_FIELDS.get(kind, ()):
        issues.reject(bad, name, raw, lambda v: f"unparseable {name} '{v}'")
    else:
        issues.warn(bad, name, raw, f"unparseable {name}")


def _normalize_names(out: dict[str, pd.Series]) -> None:
    """Clean first/last/full names and fill each side from the other."""
    present = [n for n in NAME_FIELDS if n in out]
    if not present:
        return
    index = out[present[0]].index
    blank = pd.Series(None, index=index, dtype=object)
    first = clean_name(out.get("first_name", blank))
    last = clean_name(out.get("last_name", blank))
    full = clean_name(out.get("full_name", blank))
    split_first, split_last = split_full_name(full)
    no_parts = (first.isna() & last.isna()).to_numpy()
    out["first_name"] = first.where(~no_parts, split_first)
    out["last_name"] = last.where(~no_parts, split_last)
    # "Last, First" is how a list sorts, not how a person is named: show it as "First Last".
    inverted = (full.notna() & full.astype("string").str.contains(",", regex=False)).fillna(False)
    inverted = inverted.to_numpy(dtype=bool) & no_parts
    full = full.where(~inverted, join_name(split_first, split_last))
    out["full_name"] = full.where(full.notna(), join_name(first, last))


def _normalize_currency(
    out: dict[str, pd.Series], issues: _Issues, options: NormalizeOptions
) -> None:
    """Upper-case ISO 4217 code per row, options.currency where blank; other text blanked."""
    default = options.currency.strip().upper() if options.currency else None
    if "currency" not in out:
        if default:
            out["currency"] = pd.Series(default, index=issues.index, dtype=object)
        return
    raw = out["currency"]
    code = map_unique(raw, _currency_code)
    valid = code.notna().to_numpy()
    issues.warn(_present(raw, ~valid), "currency", raw, "unrecognised currency")
    code = as_object(code.where(valid, None))
    out["currency"] = code.fillna(default) if default else code


def _currency_code(value: object) -> str | None:
    """'usd ' -> 'USD'; None unless three letters."""
    text = clean_text_value(value)
    code = text.upper() if text else None
    return code if code and _CURRENCY_CODE.fullmatch(code) else None


def _apply_row_rules(kind: str, out: dict[str, pd.Series], issues: _Issues) -> None:
    """Rejections that look at whole rows: required fields, spend with no date/campaign, nobody."""
    n = len(issues.index)
    for name in REQUIRED_FIELDS.get(kind, ()):
        missing = out[name].isna().to_numpy() if name in out else np.ones(n, dtype=bool)
        if name in out and name in MUST_PARSE_FIELDS.get(kind, ()):
            missing &= ~issues.rejected  # already rejected as unparseable, with the better reason
        issues.reject(missing, name, None, f"missing {name}")
    if kind == "spend":
        undated = _blank(out, "date", n) & _blank(out, "campaign", n)
        issues.reject(undated, "date", None, "no date and no campaign")
    if kind == "content":
        # Pages reports key rows by page; channel reports (GA4 traffic acquisition) by channel.
        unkeyed = _blank(out, "page", n) & _blank(out, "channel", n)
        issues.reject(unkeyed, "page", None, "missing page and channel")
    if kind == "people":
        nobody = np.logical_and.reduce([_blank(out, f, n) for f in IDENTIFYING_FIELDS])
        issues.reject(nobody, "", None, "no identifying field")


def _blank(out: dict[str, pd.Series], name: str, n: int) -> np.ndarray:
    return out[name].isna().to_numpy() if name in out else np.ones(n, dtype=bool)


def _present(raw: pd.Series, failed: np.ndarray | None = None) -> np.ndarray:
    """Rows where the raw value says something (not blank, not a null token).

    With `failed`, only those rows are examined (the others are reported False):
    the check is for values that did not normalise, usually a few.
    """
    candidates = raw.notna().to_numpy()
    if failed is not None:
        candidates &= failed
    result = np.zeros(len(raw), dtype=bool)
    if candidates.any():
        result[candidates] = clean_text(raw[candidates]).notna().to_numpy()
    return result


class _Issues:
    """Rejections (first reason per row wins) and warnings, collected while columns are typed."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self.rejected = np.zeros(len(index), dtype=bool)
        self._rejects: list[pd.DataFrame] = []
        self._warnings: list[tuple[np.ndarray, pd.DataFrame]] = []

    def reject(self, mask: np.ndarray, column: str, raw: pd.Series | None, reason: Reason) -> None:
        """Reject rows in mask not rejected yet; reason is a string or a function of the raw value."""
        new = mask & ~self.rejected
        if new.any():
            self._rejects.append(self._entries(new, column, raw, reason))
            self.rejected |= new

    def warn(self, mask: np.ndarray, column: str, raw: pd.Series, reason: str) -> None:
        """Record blanked values with the raw value beside the reason, not inside it."""
        if mask.any():
            entries = self._entries(mask, column, raw, reason)
            self._warnings.append((np.flatnonzero(mask), entries))

    def rejects_frame(self) -> pd.DataFrame:
        return _concat(self._rejects)

    def warnings_frame(self) -> pd.DataFrame:
        kept = [entries[~self.rejected[pos]] for pos, entries in self._warnings]
        return _concat(kept)

    def _entries(
        self, mask: np.ndarray, column: str, raw: pd.Series | None, reason: Reason
    ) -> pd.DataFrame:
        pos = np.flatnonzero(mask)
        values = [None] * len(pos) if raw is None else list(raw.iloc[pos])
        reasons = [reason(v) for v in values] if callable(reason) else [reason] * len(pos)
        return pd.DataFrame(
            {"index": self.index[pos], "column": column, "value": values, "reason": reasons}
        )


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})
    return pd.concat(parts, ignore_index=True)
