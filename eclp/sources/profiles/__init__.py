"""The built-in profiles: one YAML file per platform in this package, loaded once.

Adding a platform is adding a file. A file holds one profile or a list of them:

    name: shopify_orders            # what --profile and reports call it
    platform: Shopify
    kind: orders                    # people | orders | interactions | spend | costs | content
    description: one line for `eclp profiles`
    file_hints: ["orders_export*"]  # optional: file names that slightly favour this profile
    signature: [Name, Financial Status: 2, Lineitem name]   # headers it keys on, weight optional
    # or, when header generations share little:  signature: {grid: [...], main_file: [...]}
    columns:                        # canonical field -> header aliases, first present preferred
      order_id: [Name, Order Number]
      spend: ["re:^amount spent(?: \\((?P<currency>[a-z]{3})\\))?$"]   # pattern; groups captured
      _time: [Time]                 # `_` helper fields are read by behaviours, then dropped
    constants: {channel: Paid Search}
    person_key: [customer_ref, email, order_id]   # orders/interactions: who a row belongs to
    options: {timezone: UTC}        # normalisation hints
    behaviours: [drop_total_rows]   # names from eclp.sources.behaviours.BEHAVIOURS

Headers are compared by `normalize_header` (case, spaces, punctuation ignored).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from eclp.errors import ConfigError
from eclp.sources.profile import Profile, normalize_header, profile_from_dict

__all__ = ["header_hints", "load_builtin_profiles", "normalize_header"]


def load_builtin_profiles() -> dict[str, Profile]:
    """Every built-in profile by name, in name order (a copy: the YAML is read once)."""
    return dict(_load())


@lru_cache(maxsize=1)
def _load() -> MappingProxyType[str, Profile]:
    profiles: dict[str, Profile] = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        for data in _documents(yaml.safe_load(entry.read_text(encoding="utf-8")), entry.name):
            profile = profile_from_dict(data, where=f"{entry.name}: {data.get('name')}")
            if profile.name in profiles:
                raise ConfigError(f"{entry.name}: profile {profile.name!r} is defined twice")
            profiles[profile.name] = profile
    return MappingProxyType(dict(sorted(profiles.items())))


def _documents(loaded: Any, file_name: str) -> list[dict[str, Any]]:
    """A YAML file holds one profile or a list of them."""
    items = loaded if isinstance(loaded, list) else [loaded]
    if not all(isinstance(item, dict) and "name" in item for item in items):
        raise ConfigError(f"{file_name}: every profile needs a name")
    return items


@lru_cache(maxsize=1)
def header_hints() -> frozenset[str]:
    """Every alias and signature header of the built-ins, for finding the header row.

    Each header appears as its `normalize_header` key ("lineitemname") and, for readers that
    only fold case and spaces, in that form too ("lineitem name").
    """
    hints: set[str] = set()
    for profile in _load().values():
        hints |= profile.known_keys
        headers = [*profile.signature, *(a for al in profile.columns.values() for a in al)]
        hints |= {" ".join(h.lower().split()) for h in headers if not h.startswith("re:")}
    return frozenset(hints)
