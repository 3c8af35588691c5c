"""Timestamps and dates from the many ways exports write them.

Work happens on the distinct values of a column, one vectorised parser per
family of formats (ISO 8601, d/m/y numbers, compact YYYYMMDD, Excel serials,
epoch numbers), then a per-value fallback (month names) for what remains.
Ambiguous d/m vs m/d columns: a first field over 12 means day-first, a second
field over 12 means month-first; when nothing decides, day-first is used
unless the country hint is month-first (US-like) or absent — exports with no
known country are treated as US-locale exports (Magento, PayPal US, Salesforce).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from eclp.errors import ConfigError
from eclp.normalize._unique import as_object
from eclp.normalize.text import clean_text

# Countries writing dates month-first (MM/DD/YYYY).
MONTH_FIRST_COUNTRIES = frozenset(
    {"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"}
)
YEAR_RANGE = (1900, 2100)
EXCEL_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-11
EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
EPOCH_SECONDS_RANGE = (9.0e8, 4.1e9)  # 1998 .. 2099
EPOCH_MS_RANGE = (9.0e11, 4.1e12)

_ZONE = r"(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)"
_ISO = re.compile(
    rf"\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?(?:\s*{_ZONE})?)?"
)
_HAS_ZONE = re.compile(rf"\d:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?\s*{_ZONE}$")
_ZONE_SUFFIX = re.compile(rf"\s*{_ZONE}$")
_NUMERIC_DMY = re.compile(
    r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    rf"(?P<zone>\s*{_ZONE})?"
)
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})(.*)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COMPACT = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def parse_timestamps(
    s: pd.Series,
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    timezone: str = "UTC",
    country: str | None = None,
) -> pd.Series:
    """datetime64[ns] in UTC without zone; naive values are read in `timezone`; unparseable -> NaT."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return _datetime_series_to_utc(s, timezone)
    codes, uniques = pd.factorize(clean_text(as_object(s)), use_na_sentinel=True)
    values, aware = _parse_uniques(pd.Series(uniques, dtype=object), date_format, dayfirst, country)
    if timezone.upper() != "UTC" and (~aware).any():
        values = _localize_naive(values, ~aware, timezone)
    return _take(values, codes, s.index)


def parse_dates(
    s: pd.Series,
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    country: str | None = None,
) -> pd.Series:
    """datetime64[ns] at midnight: the calendar date as written (an offset does not shift the day)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        wall = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return wall.dt.normalize().astype("datetime64[ns]")
    cleaned = clean_text(as_object(s))
    codes, uniques = pd.factorize(cleaned, use_na_sentinel=True)
    wall = pd.Series(uniques, dtype=object).str.replace(_HAS_ZONE_TAIL, _keep_time, regex=True)
    values, _ = _parse_uniques(wall, date_format, dayfirst, country)
    return _take(values.astype("datetime64[D]").astype("datetime64[ns]"), codes, s.index)


_HAS_ZONE_TAIL = re.compile(rf"(\d:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?)\s*{_ZONE}$")


def _keep_time(m: re.Match[str]) -> str:
    return m.group(1)


def check_timezone(name: str) -> ZoneInfo:
    """The zone named in a config, or ConfigError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"unknown timezone {name!r}: use an IANA name like 'Europe/London'"
        ) from exc


def _parse_uniques(
    u: pd.Series, date_format: str | None, dayfirst: bool | None, country: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[ns] values, aware flags) for distinct cleaned strings; aware values are UTC."""
    n = len(u)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    aware = np.zeros(n, dtype=bool)
    if n == 0:
        return out, aware
    todo = np.ones(n, dtype=bool)
    if date_format:
        utc = "%z" in date_format or "%Z" in date_format
        parsed = pd.to_datetime(u, format=date_format, errors="coerce", utc=utc)
        _fill(out, aware, todo, todo.copy(), parsed, utc)
        if dayfirst is None:
            dayfirst = _format_is_dayfirst(date_format)
    _parse_numbers(u, out, aware, todo)
    _parse_iso(u, out, aware, todo)
    _parse_numeric_dmy(u, out, aware, todo, dayfirst, country)
    _parse_fallback(u, out, aware, todo, dayfirst)
    years = out.astype("datetime64[Y]").astype(np.int64) + 1970
    implausible = (years < YEAR_RANGE[0]) | (years > YEAR_RANGE[1])
    out[implausible] = np.datetime64("NaT")
    return out, aware


def _fill(
    out: np.ndarray,
    aware: np.ndarray,
    todo: np.ndarray,
    where: np.ndarray,
    parsed: pd.Series | pd.DatetimeIndex,
    is_aware: bool | np.ndarray,
) -> None:
    """Write parsed values at positions `where` (a mask over the uniques) and mark them done."""
    parsed = pd.Series(parsed)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    values = parsed.to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnat(values)
    idx = np.flatnonzero(where)[ok]
    out[idx] = values[ok]
    aware[idx] = is_aware if isinstance(is_aware, bool) else np.asarray(is_aware)[ok]
    todo[idx] = False


def _parse_numbers(u: pd.Series, out: np.ndarray, aware: np.ndarray, todo: np.ndarray) -> None:
    """YYYYMMDD anywhere; Excel serials and epoch numbers only in all-numeric columns."""
    numeric = u.str.fullmatch(_NUMBER).to_numpy(dtype=bool) & todo
    if not numeric.any():
        return
    compact = numeric & u.str.fullmatch(_COMPACT).to_numpy(dtype=bool)
    if compact.any():
        _fill(
            out,
            aware,
            todo,
            compact,
            pd.to_datetime(u[compact], format="%Y%m%d", errors="coerce"),
            False,
        )
    if not numeric[todo | numeric].all() or not numeric.any():
        return  # a column with words in it is not a column of serial numbers
    rest = numeric & todo
    number = pd.to_numeric(u[rest], errors="coerce").to_numpy(dtype=float)
    idx = np.flatnonzero(rest)
    serial = (number >= EXCEL_SERIAL_RANGE[0]) & (number <= EXCEL_SERIAL_RANGE[1])
    if serial.any():
        ns = np.round(number[serial] * 86_400_000_000_000).astype(np.int64)
        out[idx[serial]] = EXCEL_EPOCH + ns.astype("timedelta64[ns]")
        todo[idx[serial]] = False
    for (lo, hi), unit in ((EPOCH_SECONDS_RANGE, "s"), (EPOCH_MS_RANGE, "ms")):
        epoch = (number >= lo) & (number < hi)
        if epoch.any():
            out[idx[epoch]] = pd.to_datetime(number[epoch], unit=unit).to_numpy("datetime64[ns]")
            aware[idx[epoch]] = True  # epoch numbers are instants
            todo[idx[epoch]] = False


def _parse_iso(u: pd.Series, out: np.ndarray, aware: np.ndarray, todo: np.ndarray) -> None:
    """ISO 8601 with or without T, fraction and zone ('-0300', 'Z', '+02:00', ' UTC')."""
    candidates = todo & u.str.fullmatch(_ISO).to_numpy(dtype=bool)
    if not candidates.any():
        return
    text = u[candidates].str.replace(r"\s*(?:UTC|GMT)$", "+00:00", regex=True)
    zoned = text.str.contains(_HAS_ZONE).to_numpy(dtype=bool)
    for mask, utc in ((zoned, True), (~zoned, False)):
        if mask.any():
            parsed = pd.to_datetime(text[mask], format="ISO8601", errors="coerce", utc=utc)
            where = np.zeros_like(candidates)
            where[np.flatnonzero(candidates)[mask]] = True
            _fill(out, aware, todo, where, parsed, utc)


def _parse_numeric_dmy(
    u: pd.Series,
    out: np.ndarray,
    aware: np.ndarray,
    todo: np.ndarray,
    dayfirst: bool | None,
    country: str | None,
) -> None:
    """'09/01/24 12:49', '31.12.2024', '1/2/2025 3:04 PM', and 2024/01/31 (year first)."""
    if not todo.any():
        return
    rest = u[todo]
    year_first = rest.str.extract("^" + _YEAR_FIRST.pattern + "$")
    parts = rest.str.extract("^" + _NUMERIC_DMY.pattern + "$")
    matched = parts["a"].notna().to_numpy()
    yf = year_first[0].notna().to_numpy() & ~matched
    if not matched.any() and not yf.any():
        return
    a = pd.to_numeric(parts["a"], errors="coerce")
    b = pd.to_numeric(parts["b"], errors="coerce")
    day_first = _decide_dayfirst(a[matched], b[matched], dayfirst, country)
    # Without an explicit choice, a value that can only be read one way is read that way.
    per_row = (
        np.full(len(a), day_first)
        if dayfirst is not None
        else np.where(a > 12, True, np.where(b > 12, False, day_first))
    )
    year = pd.to_numeric(parts["y"], errors="coerce")
    year = year.where(year >= 100, np.where(year <= 69, 2000 + year, 1900 + year))
    hour = pd.to_numeric(parts["H"], errors="coerce").fillna(0)
    pm = parts["ampm"].str.lower().str.startswith("p", na=False).astype(bool)
    am = parts["ampm"].str.lower().str.startswith("a", na=False).astype(bool)
    hour = hour.where(~(pm | am), hour % 12 + np.where(pm, 12, 0))
    fields = pd.DataFrame(
        {
            "year": np.where(yf, pd.to_numeric(year_first[0], errors="coerce"), year),
            "month": np.where(
                yf, pd.to_numeric(year_first[1], errors="coerce"), np.where(per_row, b, a)
            ),
            "day": np.where(
                yf, pd.to_numeric(year_first[2], errors="coerce"), np.where(per_row, a, b)
            ),
            "hour": np.where(yf, 0, hour),
            "minute": np.where(yf, 0, pd.to_numeric(parts["M"], errors="coerce").fillna(0)),
            "second": np.where(yf, 0, pd.to_numeric(parts["S"], errors="coerce").fillna(0)),
        }
    )
    fields = fields[matched | yf].astype(float)
    parsed = pd.to_datetime(fields, errors="coerce")
    where = np.zeros_like(todo)
    idx = np.flatnonzero(todo)[matched | yf]
    where[idx] = True
    zone = parts["zone"][matched | yf]
    zoned = zone.notna().to_numpy()
    if zoned.any():  # rare: '09/01/2024 12:49 +0200'
        offsets = pd.to_datetime(
            "2000-01-01T00:00" + zone[zoned].str.strip().str.replace("Z", "+00:00"),
            format="ISO8601",
            utc=True,
            errors="coerce",
        )
        shift = (offsets.dt.tz_localize(None) - pd.Timestamp("2000-01-01")).to_numpy()
        parsed = parsed.to_numpy(dtype="datetime64[ns]").copy()
        parsed[zoned] = parsed[zoned] + shift
        parsed = pd.Series(parsed)
    _fill(out, aware, todo, where, parsed, zoned)
    todo[idx] = False  # matched the d/m/y shape: do not let the fallback guess it differently


def _decide_dayfirst(
    a: pd.Series, b: pd.Series, dayfirst: bool | None, country: str | None
) -> bool:
    """Day-first for this column: as told, else from the data, else from the country hint."""
    if dayfirst is not None:
        return dayfirst
    first_over_12, second_over_12 = bool((a > 12).any()), bool((b > 12).any())
    if first_over_12 != second_over_12:
        return first_over_12
    if country:
        return country.upper() not in MONTH_FIRST_COUNTRIES
    return False


def _parse_fallback(
    u: pd.Series, out: np.ndarray, aware: np.ndarray, todo: np.ndarray, dayfirst: bool | None
) -> None:
    """Per value (dateutil) for the rest, e.g. 'September 29, 2025', '1 Sep 2025'; needs a 4-digit year."""
    candidates = todo & u.str.contains(_HAS_YEAR).to_numpy(dtype=bool)
    if not candidates.any():
        return
    text = u[candidates]
    zoned = text.str.contains(_HAS_ZONE).to_numpy(dtype=bool)
    parsed = pd.Series([_one_fallback(t, bool(dayfirst)) for t in text], dtype="datetime64[ns]")
    _fill(out, aware, todo, candidates, parsed, zoned)


def _one_fallback(text: str, dayfirst: bool) -> np.datetime64:
    try:
        ts = pd.to_datetime(text, dayfirst=dayfirst, utc=True)
    except (ValueError, OverflowError, TypeError):
        return np.datetime64("NaT")
    return ts.tz_localize(None).to_datetime64()


def _format_is_dayfirst(date_format: str) -> bool:
    day, month = date_format.find("%d"), date_format.find("%m")
    return 0 <= day < month if month >= 0 else True


def _localize_naive(values: np.ndarray, naive: np.ndarray, timezone: str) -> np.ndarray:
    """Wall-clock values at `naive` positions read in `timezone`, converted to UTC."""
    check_timezone(timezone)
    local = pd.DatetimeIndex(values[naive])
    utc = (
        local.tz_localize(
            timezone, ambiguous=np.ones(len(local), dtype=bool), nonexistent="shift_forward"
        )
        .tz_convert("UTC")
        .tz_localize(None)
    )
    result = values.copy()
    result[naive] = utc.to_numpy(dtype="datetime64[ns]")
    return result


def _datetime_series_to_utc(s: pd.Series, timezone: str) -> pd.Series:
    """An already-typed datetime column (Excel reader) as UTC-naive datetime64[ns]."""
    if getattr(s.dt, "tz", None) is None:
        if timezone.upper() == "UTC":
            return s.astype("datetime64[ns]")
        check_timezone(timezone)
        s = s.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
    return s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")


def _take(values: np.ndarray, codes: np.ndarray, index: pd.Index) -> pd.Series:
    table = np.append(values.astype("datetime64[ns]"), np.datetime64("NaT", "ns"))
    return pd.Series(table[codes], index=index, dtype="datetime64[ns]")
