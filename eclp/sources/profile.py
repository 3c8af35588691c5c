"""Source profiles: which headers identify an export and which header feeds each canonical field.

A profile is data (see `eclp/sources/profiles/*.yaml`). Headers are compared by a normalised
key (case, spaces, punctuation and a BOM ignored), so `Email`, `E-MAIL` and `email` are one
header, and Salesforce's `MailingCity` API name equals its `Mailing City` report label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any

from eclp.canonical import FIELDS_BY_KIND, KINDS
from eclp.errors import ConfigError

PATTERN_PREFIX = "re:"
# Fields a profile may fill beyond the kind's canonical ones: content periods, and `_`-prefixed
# helper fields that only behaviours read (e.g. PayPal's separate Time column).
EXTRA_FIELDS = frozenset({"period_start", "period_end"})
HELPER_PREFIX = "_"


@lru_cache(maxsize=8192)
def normalize_header(text: str) -> str:
    """The comparison key of a header: case-folded letters and digits only."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


def display_header(text: str) -> str:
    """A header as pattern aliases see it: BOM gone, whitespace collapsed, case kept."""
    return " ".join(str(text).replace("\ufeff", "").split())


@dataclass(frozen=True)
class ColumnMap:
    """Which header of one file feeds each canonical field."""

    columns: Mapping[str, str]  # canonical field -> actual header in the file
    captured: Mapping[str, str]  # canonical field -> value captured from a header name
    unmapped: tuple[str, ...]  # headers no field uses (for `eclp map` and data quality)


@dataclass(frozen=True)
class Profile:
    """A known export format: its header signature, column aliases and special behaviours.

    `signature` lists every header the profile keys on; `generations` holds the signature of
    each header generation when they differ (Magento's grid versus its Customers Main File).
    """

    name: str
    platform: str
    kind: str
    description: str
    signature: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]
    constants: Mapping[str, str]
    person_key: tuple[str, ...]
    options: Mapping[str, Any]
    behaviours: tuple[str, ...]
    builtin: bool = True
    generations: Mapping[str, tuple[tuple[str, float], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    file_hints: tuple[str, ...] = ()  # glob-ish file name fragments that favour this profile

    def __hash__(self) -> int:  # mappings are not hashable; a profile is known by its name
        return hash((self.name, self.builtin))

    def resolve(self, headers: Sequence[str]) -> ColumnMap:
        """The header feeding each canonical field: the first alias present wins.

        Pattern aliases (`re:…`) match the whole header, case-insensitively; their named groups
        are captured as constants (Meta's `Amount spent (USD)` gives currency `USD`).
        """
        by_key: dict[str, str] = {}
        for header in headers:
            by_key.setdefault(normalize_header(header), header)
        columns: dict[str, str] = {}
        captured: dict[str, str] = {}
        for field_name, aliases in self.columns.items():
            for alias in aliases:
                hit = _find_alias(alias, headers, by_key)
                if hit is not None:
                    header, groups = hit
                    columns[field_name] = header
                    captured.update({k: v for k, v in groups.items() if v})
                    break
        used = set(columns.values())
        unmapped = tuple(h for h in headers if h not in used)
        return ColumnMap(MappingProxyType(columns), MappingProxyType(captured), unmapped)

    @cached_property
    def alias_keys(self) -> Mapping[str, str]:
        """Normalised plain alias -> the canonical field it feeds."""
        keys: dict[str, str] = {}
        for field_name, aliases in self.columns.items():
            for alias in aliases:
                if not alias.startswith(PATTERN_PREFIX):
                    keys.setdefault(normalize_header(alias), field_name)
        return MappingProxyType(keys)

    @cached_property
    def patterns(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """Compiled pattern aliases with the field each feeds."""
        return tuple(
            (_compile(alias), field_name)
            for field_name, aliases in self.columns.items()
            for alias in aliases
            if alias.startswith(PATTERN_PREFIX)
        )

    @cached_property
    def known_keys(self) -> frozenset[str]:
        """Every normalised header this profile knows: signature headers and plain aliases."""
        return frozenset(self.alias_keys) | {normalize_header(h) for h in self.signature}

    def knows(self, header: str) -> bool:
        """Whether a header is one this profile keys on or maps."""
        if normalize_header(header) in self.known_keys:
            return True
        shown = display_header(header)
        return any(pattern.fullmatch(shown) for pattern, _ in self.patterns)


@lru_cache(maxsize=1024)
def _compile(alias: str) -> re.Pattern[str]:
    return re.compile(alias[len(PATTERN_PREFIX) :], re.IGNORECASE)


def _find_alias(
    alias: str, headers: Sequence[str], by_key: Mapping[str, str]
) -> tuple[str, dict[str, str]] | None:
    """The header an alias names in this file (and any captured groups), or None."""
    if not alias.startswith(PATTERN_PREFIX):
        header = by_key.get(normalize_header(alias))
        return (header, {}) if header is not None else None
    pattern = _compile(alias)
    for header in headers:
        match = pattern.fullmatch(display_header(header))
        if match:
            return header, match.groupdict()
    return None


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _weighted(entries: Any, where: str) -> tuple[tuple[str, float], ...]:
    """Signature entries as (header, weight): `Name` or `{Name: 2}`."""
    out: list[tuple[str, float]] = []
    for entry in entries or ():
        if isinstance(entry, Mapping):
            out.extend((str(k), float(v)) for k, v in entry.items())
        elif isinstance(entry, str):
            out.append((entry, 1.0))
        else:
            raise ConfigError(f"{where}: signature entry {entry!r} is not a header name")
    return tuple(out)


def profile_from_dict(data: Mapping[str, Any], *, builtin: bool = True, where: str = "") -> Profile:
    """A Profile from its YAML form, validated: kind, field names and behaviours must exist."""
    from eclp.sources.behaviours import BEHAVIOURS  # behaviours import profiles' types

    where = where or str(data.get("name", "profile"))
    problems: list[str] = []
    kind = str(data.get("kind", ""))
    if kind not in KINDS:
        problems.append(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    allowed = set(FIELDS_BY_KIND.get(kind, ())) | EXTRA_FIELDS
    columns = {str(k): _as_tuple(v) for k, v in (data.get("columns") or {}).items()}
    constants = {str(k): str(v) for k, v in (data.get("constants") or {}).items()}
    for name in [*columns, *constants]:
        if name not in allowed and not name.startswith(HELPER_PREFIX):
            problems.append(f"{name!r} is not a canonical field of kind {kind!r}")
    behaviours = _as_tuple(data.get("behaviours"))
    problems += [f"unknown behaviour {b!r}" for b in behaviours if b not in BEHAVIOURS]
    raw_signature = data.get("signature") or ()
    if isinstance(raw_signature, Mapping):
        generations = {str(g): _weighted(s, where) for g, s in raw_signature.items()}
    else:
        generations = {"default": _weighted(raw_signature, where)}
    if not any(generations.values()):
        problems.append("signature is empty")
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))
    signature = tuple(dict.fromkeys(h for sig in generations.values() for h, _ in sig))
    return Profile(
        name=str(data["name"]),
        platform=str(data.get("platform", "")),
        kind=kind,
        description=str(data.get("description", "")),
        signature=signature,
        columns=MappingProxyType(columns),
        constants=MappingProxyType(constants),
        person_key=_as_tuple(data.get("person_key")),
        options=MappingProxyType(dict(data.get("options") or {})),
        behaviours=behaviours,
        builtin=builtin,
        generations=MappingProxyType(generations),
        file_hints=_as_tuple(data.get("file_hints")),
    )


DEFAULT_PERSON_KEY = {
    "orders": ("customer_ref", "email", "order_id"),
    "interactions": ("customer_ref", "email", "source_record_id"),
}


def profile_from_mapping(
    name: str, kind: str, columns: Mapping[str, str], options: Mapping[str, Any]
) -> Profile:
    """A user's `sources:` entry in eclp.yaml (export column -> canonical field) as a Profile.

    Several export columns may feed one field: the first present in the file wins.
    """
    fields: dict[str, list[str]] = {}
    for header, field_name in columns.items():
        fields.setdefault(str(field_name), []).append(str(header))
    return profile_from_dict(
        {
            "name": name,
            "platform": "user mapping",
            "kind": kind,
            "description": f"eclp.yaml sources: {name}",
            "signature": list(columns),
            "columns": fields,
            "person_key": list(DEFAULT_PERSON_KEY.get(kind, ())),
            "options": dict(options),
        },
        builtin=False,
        where=f"sources.{name}",
    )
