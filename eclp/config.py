"""eclp.yaml: loading and validating it in one place, into typed settings (spec §1, §4, §8).

Each stage owns its settings dataclass (identity, metrics, email, privacy); this module maps
the YAML sections onto them by field name, so a typo in any key is an error naming key and line.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eclp.canonical import FIELDS_BY_KIND, KINDS
from eclp.errors import ConfigError

SOURCE_KEYS = ("match", "kind", "profile", "sheet", "header_row", "columns", "options")
SOURCE_OPTION_KEYS = (
    "date_format",
    "dayfirst",
    "decimal",
    "country",
    "phone_countries",
    "currency",
    "timezone",
    "delimiter",
    "encoding",
)
SHOP_KEYS = ("name", "country", "phone_countries", "currency", "timezone")

# section -> (module, class) of the stage that owns it; imported lazily to keep startup fast.
SECTION_CLASSES: dict[str, tuple[str, str]] = {
    "identity": ("eclp.identity.settings", "IdentitySettings"),
    "metrics": ("eclp.metrics.settings", "MetricsSettings"),
    "email": ("eclp.delivery.settings", "EmailSettings"),
    "privacy": ("eclp.delivery.settings", "PrivacySettings"),
}
# YAML spellings that are Python keywords or clash with builtins.
KEY_ALIASES = {"from": "from_addr"}


@dataclass(frozen=True)
class SourceConfig:
    """One `sources:` entry: which files belong to a source and how they map."""

    name: str
    match: tuple[str, ...] = ()
    kind: str | None = None
    profile: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # export column -> canonical field
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The whole validated configuration of a workspace."""

    path: Path | None = None
    shop_name: str | None = None
    country: str | None = None
    # Countries to try, in order, for a national phone number not valid in the row's own.
    phone_countries: tuple[str, ...] = ()
    currency: str = "USD"
    timezone: str = "UTC"
    sources: tuple[SourceConfig, ...] = ()
    channel_aliases: Mapping[str, str] = field(default_factory=dict)
    identity: Any = None
    metrics: Any = None
    email: Any = None  # None when email is not configured
    privacy: Any = None

    def source_for(self, file_name: str) -> SourceConfig | None:
        """The first configured source whose match glob fits the file name (case-insensitive)."""
        from fnmatch import fnmatch

        base = Path(file_name).name.lower()
        for src in self.sources:
            if any(fnmatch(base, pattern.lower()) for pattern in src.match):
                return src
        return None

    def source_named(self, name: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.name == name), None)


def load_config(path: Path) -> Config:
    """Read and validate eclp.yaml; every problem is reported at once."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config: {exc.strerror}") from exc
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> Config:
    name = str(path) if path else "eclp.yaml"
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        context = getattr(exc, "context_mark", None)
        started = f" (in what starts on line {context.line + 1})" if context else ""
        problem = getattr(exc, "problem", None) or exc
        raise ConfigError(f"{name}{where}: not valid YAML: {problem}{started}") from exc
    lines = _key_lines(node)
    errors = _Errors(name, lines)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: the config must be a mapping of sections")
    config = _build(data, errors)
    errors.raise_if_any()
    return dataclasses.replace(config, path=path)


class _Errors:
    """Collects validation problems with the YAML line of the offending key."""

    def __init__(self, name: str, lines: dict[tuple[str, ...], int]) -> None:
        self.name, self.lines, self.items = name, lines, []

    def add(self, keypath: tuple[str, ...], message: str) -> None:
        line = self.lines.get(keypath)
        where = f" line {line}" if line else ""
        self.items.append(f"{self.name}{where}: {'.'.join(keypath)}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError(
                "; ".join(self.items) if len(self.items) < 4 else "\n".join(self.items)
            )


def _key_lines(node: yaml.Node | None, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, str(key.value))
            out[path] = key.start_mark.line + 1
            out.update(_key_lines(value, path))
    return out


def _build(data: dict, errors: _Errors) -> Config:
    known = {"shop", "sources", "channels", *SECTION_CLASSES}
    for key in data:
        if key not in known:
            errors.add((str(key),), f"unknown section (known: {', '.join(sorted(known))})")
    shop = _mapping(data.get("shop"), ("shop",), errors)
    for key in shop:
        if key not in SHOP_KEYS:
            errors.add(("shop", key), f"unknown key (known: {', '.join(SHOP_KEYS)})")
    channels = _mapping(data.get("channels"), ("channels",), errors)
    for key in channels:
        if key != "aliases":
            errors.add(("channels", key), "unknown key (known: aliases)")
    aliases = _mapping(channels.get("aliases"), ("channels", "aliases"), errors)
    sections = {
        name: _section(name, data.get(name), errors)
        for name in SECTION_CLASSES
        if name != "email" or data.get("email") is not None
    }
    email = sections.get("email")
    for problem in email.problems() if email is not None and hasattr(email, "problems") else ():
        errors.add(("email",), problem)
    return Config(
        shop_name=_opt_str(shop.get("name")),
        country=_opt_str(shop.get("country"), upper=True),
        phone_countries=country_list(
            shop.get("phone_countries"), ("shop", "phone_countries"), errors
        ),
        currency=_opt_str(shop.get("currency"), upper=True) or "USD",
        timezone=_opt_str(shop.get("timezone")) or "UTC",
        sources=tuple(_sources(data.get("sources"), errors)),
        channel_aliases={str(k): str(v) for k, v in aliases.items()},
        identity=sections.get("identity"),
        metrics=sections.get("metrics"),
        email=sections.get("email"),
        privacy=sections.get("privacy"),
    )


def country_list(value: Any, keypath: tuple[str, ...], errors: _Errors | None = None) -> tuple:
    """ISO2 codes from a YAML list or a comma-separated text ("GB, IE"); unknown ones are
    configuration errors naming the key (raised at once without an error collector)."""
    from eclp.normalize.address import country_code_value

    if value is None or value == "":
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    codes = []
    for item in items:
        code = country_code_value(str(item).strip())
        if code is None:
            message = f"{item!r} is not a country: use ISO codes like GB"
            if errors is None:
                raise ConfigError(f"{'.'.join(keypath)}: {message}")
            errors.add(keypath, message)
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _opt_str(value: Any, upper: bool = False) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    return text.upper() if upper else text


def _mapping(value: Any, keypath: tuple[str, ...], errors: _Errors) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(keypath, "must be a mapping of keys to values")
        return {}
    return value


def _sources(value: Any, errors: _Errors) -> list[SourceConfig]:
    out = []
    for name, spec in _mapping(value, ("sources",), errors).items():
        keypath = ("sources", str(name))
        spec = _mapping(spec, keypath, errors)
        for key in spec:
            if key not in SOURCE_KEYS:
                errors.add((*keypath, str(key)), f"unknown key (known: {', '.join(SOURCE_KEYS)})")
        out.append(_source(str(name), spec, keypath, errors))
    return out


def _source(name: str, spec: dict, keypath: tuple[str, ...], errors: _Errors) -> SourceConfig:
    match = spec.get("match") or ()
    match = (match,) if isinstance(match, str) else tuple(str(m) for m in match)
    kind, profile = spec.get("kind"), spec.get("profile")
    columns = {
        str(k): str(v)
        for k, v in _mapping(spec.get("columns"), (*keypath, "columns"), errors).items()
    }
    options = _mapping(spec.get("options"), (*keypath, "options"), errors)
    if kind is not None and kind not in KINDS:
        errors.add((*keypath, "kind"), f"{kind!r} is not a kind (one of: {', '.join(KINDS)})")
        kind = None
    if profile is None and not columns:
        errors.add(
            keypath, "needs either `profile:` (a built-in profile) or `kind:` and `columns:`"
        )
    if columns and kind is None and profile is None:
        errors.add(keypath, "`columns:` needs a `kind:` (one of: " + ", ".join(KINDS) + ")")
    if kind is not None:
        allowed = set(FIELDS_BY_KIND[kind]) | {"ignore"}
        for column, target in columns.items():
            if target not in allowed:
                errors.add(
                    (*keypath, "columns", column),
                    f"{target!r} is not a canonical {kind} field",
                )
    for key in options:
        if key not in SOURCE_OPTION_KEYS:
            errors.add(
                (*keypath, "options", str(key)),
                f"unknown option (known: {', '.join(SOURCE_OPTION_KEYS)})",
            )
    header_row = spec.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        errors.add((*keypath, "header_row"), "must be a row number, 1 or more")
        header_row = None
    return SourceConfig(
        name=name,
        match=match,
        kind=kind,
        profile=str(profile) if profile else None,
        sheet=str(spec["sheet"]) if spec.get("sheet") is not None else None,
        header_row=header_row,
        columns=columns,
        options=dict(options),
    )


def _section(name: str, value: Any, errors: _Errors) -> Any:
    module, cls_name = SECTION_CLASSES[name]
    cls = getattr(importlib.import_module(module), cls_name)
    return _dataclass_from(cls, _mapping(value, (name,), errors), (name,), errors)


def _dataclass_from(cls: type, data: dict, keypath: tuple[str, ...], errors: _Errors) -> Any:
    """Build a settings dataclass from a YAML mapping, coercing by each field's default."""
    defaults = cls()
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        attr = KEY_ALIASES.get(str(key), str(key))
        if attr not in fields:
            known = ", ".join(
                sorted(k for k in (*fields, *KEY_ALIASES) if k not in KEY_ALIASES.values())
            )
            errors.add((*keypath, str(key)), f"unknown key (known: {known})")
            continue
        try:
            kwargs[attr] = _coerce(getattr(defaults, attr), value, (*keypath, str(key)), errors)
        except (TypeError, ValueError) as exc:
            errors.add((*keypath, str(key)), str(exc))
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        errors.add(keypath, str(exc))
        return defaults


def _coerce(default: Any, value: Any, keypath: tuple[str, ...], errors: _Errors) -> Any:
    if dataclasses.is_dataclass(default) and not isinstance(default, type):
        if not isinstance(value, dict):
            raise TypeError("must be a mapping")
        return _dataclass_from(type(default), value, keypath, errors)
    if value is None or default is None:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise TypeError(f"must be true or false, not {value!r}")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"must be a number, not {value!r}")
        return (
            type(default)(value)
            if isinstance(default, float) or float(value).is_integer()
            else value
        )
    if isinstance(default, tuple):
        items = value if isinstance(value, list) else [value]
        return tuple(items)
    if isinstance(default, Mapping):
        if not isinstance(value, dict):
            raise TypeError("must be a mapping")
        return {str(k): v for k, v in value.items()}
    if isinstance(default, str):
        if isinstance(value, (dict, list)):
            raise TypeError("must be text")
        return str(value)
    return value
