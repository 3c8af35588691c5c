"""Masking personal data in outputs (`privacy.mask_pii`): j***@gmail.com, +44*******123."""

from __future__ import annotations

import pandas as pd
import phonenumbers

EMAIL_COLUMNS = ("email",)
PHONE_COLUMNS = ("phone",)


def mask_email(value: object) -> object:
    """Keep the first character of the local part and the whole domain: j***@gmail.com."""
    if not isinstance(value, str) or not value:
        return value
    local, at, domain = value.rpartition("@")
    if not at:
        return value[:1] + "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(value: object) -> object:
    """Keep the leading + and country code (up to 3 characters) and the last 3 digits."""
    if not isinstance(value, str) or not value:
        return value
    digits = [c for c in value if c.isdigit()]
    if len(digits) <= 6:
        return "*" * len(digits)
    plus = "+" if value.lstrip().startswith("+") else ""
    head = _country_code(value) if plus else ""
    tail = "".join(digits[-3:])
    return f"{plus}{head}{'*' * (len(digits) - len(head) - 3)}{tail}"


def _country_code(value: str) -> str:
    """The international number's country calling code (1–3 digits), else its first two digits."""
    try:
        return str(phonenumbers.parse(value, None).country_code)
    except phonenumbers.NumberParseException:
        return "".join(c for c in value if c.isdigit())[:2]


def mask_value(value: object) -> object:
    """Free text that may hold an email or phone (e.g. a rejected cell): masked if it looks like one."""
    if not isinstance(value, str):
        return value
    if "@" in value:
        return mask_email(value.strip())
    if sum(c.isdigit() for c in value) >= 7:
        return mask_phone(value.strip())
    return value


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with email and phone columns masked (each distinct value masked once)."""
    out = frame.copy()
    for columns, mask in ((EMAIL_COLUMNS, mask_email), (PHONE_COLUMNS, mask_phone)):
        for column in (
            c for c in out.columns if c in columns or c.endswith(tuple(f"_{n}" for n in columns))
        ):
            unique = out[column].dropna().unique()
            out[column] = out[column].map(dict(zip(unique, map(mask, unique), strict=True)))
    return out
