"""Free-text channel and source labels onto the canonical channel vocabulary."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from eclp.canonical import CHANNELS
from eclp.normalize._unique import map_unique
from eclp.normalize.text import clean_text_value

# Exact labels (lower-case): HubSpot Original Source, GA4 channel groups, platforms, Shopify Source.
CHANNEL_LABELS: dict[str, str] = {
    **{c.casefold(): c for c in CHANNELS},
    # HubSpot
    "email marketing": "Email", "referrals": "Referral", "direct traffic": "Direct",
    "social media": "Organic Social", "other campaigns": "Other", "offline sources": "Offline",
    "ai referrals": "Referral",
    # GA4 default channel groups
    "affiliates": "Affiliate", "organic shopping": "Organic Search", "paid shopping": "Paid Search",
    "organic video": "Organic Social", "paid video": "Display", "paid other": "Other",
    "audio": "Display", "mobile push notifications": "Other", "unassigned": "Unknown",
    "cross-network": "Paid Search", "cross network": "Paid Search",
    # ad and email platforms
    "google ads": "Paid Search", "adwords": "Paid Search", "google adwords": "Paid Search",
    "bing ads": "Paid Search", "microsoft ads": "Paid Search", "microsoft advertising": "Paid Search",
    "meta": "Paid Social", "meta ads": "Paid Social", "facebook ads": "Paid Social",
    "instagram ads": "Paid Social", "tiktok ads": "Paid Social", "linkedin ads": "Paid Social",
    "pinterest ads": "Paid Social", "snapchat ads": "Paid Social", "x ads": "Paid Social",
    "twitter ads": "Paid Social", "klaviyo": "Email", "mailchimp": "Email", "newsletter": "Email",
    "e-mail": "Email", "text message": "SMS", "google shopping": "Paid Search",
    # Shopify order Source: where the order was placed, not how the customer came.
    "web": "Unknown", "online store": "Unknown", "pos": "Offline", "point of sale": "Offline",
    "shopify_draft_order": "Offline", "draft order": "Offline", "android": "Offline",
    "iphone": "Offline", "phone": "Offline", "in store": "Offline", "store": "Offline",
    "amazon": "Marketplace", "ebay": "Marketplace", "etsy": "Marketplace", "walmart": "Marketplace",
    "zalando": "Marketplace", "bol.com": "Marketplace",
    # plain sources without a medium
    "(direct)": "Direct", "direct": "Direct", "typein": "Direct",
}  # fmt: skip

SEARCH_ENGINES = frozenset(
    {"google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ecosia", "naver", "seznam"}
)
SOCIAL_SITES = frozenset(
    {"facebook", "fb", "m.facebook.com", "l.facebook.com", "instagram", "ig", "twitter", "t.co",
     "x", "linkedin", "lnkd.in", "pinterest", "tiktok", "youtube", "snapchat", "reddit", "threads",
     "meta"}
)  # fmt: skip
_PAID_MEDIA = frozenset({"cpc", "ppc", "paid", "paidsearch", "paid search", "paid_search", "sem",
                         "paidsocial", "paid social", "paid_social", "cpm", "cpv", "cpa"})  # fmt: skip
_APP_ID = re.compile(r"\d{3,}")


def normalize_channel_value(value: Any, aliases: Mapping[str, str] | None = None) -> str | None:
    """One label onto CHANNELS; aliases (case-insensitive exact labels) win; unknown -> 'Other'."""
    text = clean_text_value(value)
    if text is None:
        return None
    key = text.casefold()
    if aliases:
        folded = {k.casefold(): v for k, v in aliases.items()}
        if key in folded:
            return folded[key]
    if key in CHANNEL_LABELS:
        return CHANNEL_LABELS[key]
    if "/" in key:
        source, _, medium = (part.strip() for part in key.partition("/"))
        return _source_medium(source, medium)
    return _by_words(key)


def normalize_channel(s: pd.Series, aliases: Mapping[str, str] | None = None) -> pd.Series:
    """Series of canonical channels (eclp.canonical.CHANNELS); blank -> None."""
    folded = {k.casefold(): v for k, v in (aliases or {}).items()}
    return map_unique(s, lambda v: normalize_channel_value(v, folded))


def _source_medium(source: str, medium: str) -> str:
    """utm-style 'google / cpc', 'facebook / paid', '(direct) / (none)'."""
    social = source in SOCIAL_SITES or any(site in source for site in ("facebook", "instagram"))
    if medium in ("(none)", "none", "") and source in ("(direct)", "direct", ""):
        return "Direct"
    if medium in _PAID_MEDIA or "paid" in medium:
        return "Paid Social" if social or "social" in medium else "Paid Search"
    if medium in ("organic", "seo"):
        return "Organic Social" if social else "Organic Search"
    if "social" in medium or social:
        return "Organic Social"
    for word, channel in _MEDIUM_WORDS:
        if word in medium:
            return channel
    return _by_words(source) if source else "Other"


_MEDIUM_WORDS = (
    ("email", "Email"), ("e-mail", "Email"), ("newsletter", "Email"), ("sms", "SMS"),
    ("affiliate", "Affiliate"), ("display", "Display"), ("banner", "Display"),
    ("referral", "Referral"), ("offline", "Offline"), ("print", "Offline"),
)  # fmt: skip


def _by_words(key: str) -> str:
    """Labels not in the table, by their words: 'Google Ads - Brand' -> Paid Search."""
    words = set(re.split(r"[^a-z0-9.]+", key))
    if _APP_ID.fullmatch(key):
        return "Marketplace"  # Shopify sales-channel app id (Facebook shop, Google, marketplaces)
    if words & {"ads", "ad", "cpc", "ppc", "paid", "sponsored"}:
        if words & SOCIAL_SITES:
            return "Paid Social"
        return "Paid Search" if words & SEARCH_ENGINES or words & {"cpc", "ppc"} else "Display"
    if words & SEARCH_ENGINES or "seo" in words:
        return "Organic Search"
    if words & SOCIAL_SITES or "social" in words:
        return "Organic Social"
    for word, channel in _MEDIUM_WORDS:
        if word in key:
            return channel
    return "Other"
