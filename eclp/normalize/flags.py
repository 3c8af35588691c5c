"""Yes/no and consent flags onto pandas' nullable boolean."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from eclp.normalize._unique import map_unique
from eclp.normalize.text import clean_text_value

TRUE_TOKENS = frozenset(
    {"yes", "y", "true", "t", "1", "1.0", "on", "x", "subscribed", "opted in", "opt in", "optin",
     "opted", "accepted", "accepts", "granted", "consented", "confirmed", "ja", "oui", "si", "sí"}
)  # fmt: skip
FALSE_TOKENS = frozenset(
    {"no", "n", "false", "f", "0", "0.0", "off", "unsubscribed", "cleaned", "never subscribed",
     "nonsubscribed", "non subscribed", "not subscribed", "pending", "opted out", "opt out",
     "optout", "declined", "revoked", "bounced", "nein", "non"}
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s_\-]+")


def parse_flag_value(value: Any) -> bool | None:
    """True/False for a recognised token, None for blank or unknown text."""
    if isinstance(value, bool):
        return value
    text = clean_text_value(value)
    if text is None:
        return None
    key = _SEPARATORS.sub(" ", text.casefold()).strip()
    if key in TRUE_TOKENS:
        return True
    if key in FALSE_TOKENS:
        return False
    return None


def parse_flag(s: pd.Series) -> pd.Series:
    """Series[boolean] (nullable): yes/no, true/false, 1/0 and Mailchimp/Klaviyo consent statuses."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean")
    return map_unique(s, parse_flag_value).astype("boolean")
