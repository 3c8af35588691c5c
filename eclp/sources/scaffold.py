"""`eclp map FILE`: an eclp.yaml mapping scaffold with canonical fields guessed from headers."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from eclp.canonical import FIELDS_BY_KIND, KINDS


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_ID_WORDS = re.compile(r"\b(id|no|number|nr|card|ref)\b", re.IGNORECASE)


def _alias_table() -> dict[str, tuple[str, str]]:
    """normalised alias -> (canonical field, kind), from every built-in profile and the fields."""
    from eclp.sources.profiles import load_builtin_profiles

    table: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        for name in FIELDS_BY_KIND[kind]:
            table.setdefault(_norm(name.replace("_", " ")), (name, kind))
    for prof in load_builtin_profiles().values():
        for canonical, aliases in prof.columns.items():
            for alias in aliases:
                if alias.startswith("re:") or canonical.startswith("_"):
                    continue
                # Profiles fall back to e.g. Email as a record id; a scaffold should not.
                if canonical in ("source_record_id", "customer_ref") and not _ID_WORDS.search(
                    alias
                ):
                    continue
                table.setdefault(_norm(alias), (canonical, prof.kind))
    return table


def guess_fields(headers: list[str]) -> dict[str, tuple[str | None, float]]:
    """Each header's likeliest canonical field and a 0–100 confidence; None below 80.

    An exact alias of the built-in profiles wins (by their votes); other headers are matched
    fuzzily against every alias and canonical field name.
    """
    from eclp.sources.detect import guess_fields as exact_guesses

    table = _alias_table()
    choices = list(table)
    exact = exact_guesses(headers)
    guesses: dict[str, tuple[str | None, float]] = {}
    used: set[str] = set()
    for header, name in exact.items():
        if name not in used and name not in ("source_record_id", "customer_ref"):
            guesses[header] = (name, 100.0)
            used.add(name)
    for header in headers:
        if header in guesses:
            continue
        hit = process.extractOne(_norm(header), choices, scorer=fuzz.token_sort_ratio)
        if hit and hit[1] >= 80 and table[hit[0]][0] not in used:
            guesses[header] = (table[hit[0]][0], float(hit[1]))
            used.add(table[hit[0]][0])
        elif (word := _keyword_guess(header)) and word not in used:
            guesses[header] = (word, 60.0)
            used.add(word)
        else:
            guesses[header] = (None, float(hit[1]) if hit else 0.0)
    return guesses


# Words that give a header away when no alias matches closely (first rule that hits wins).
KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"e-?mail", "email"),
    (r"mobile|phone|tel|cell", "phone"),
    (r"first|given|fore", "first_name"),
    (r"last|sur|family", "last_name"),
    (r"birth|dob", "birth_date"),
    (r"zip|post", "postcode"),
    (r"city|town", "city"),
    (r"country", "country"),
    (r"joined|created|sign.?up|registered|since", "created_at"),
    (r"updated|modified|changed", "updated_at"),
    (r"company|organi[sz]ation|business", "company"),
    (r"loyalty|card|member.?(no|id|number)", "source_record_id"),
    (r"\b(id|no|number|ref)\b", "source_record_id"),
    (r"name", "full_name"),
)


def _keyword_guess(header: str) -> str | None:
    text = header.lower()
    return next((name for pattern, name in KEYWORDS if re.search(pattern, text)), None)


def guess_kind(fields: list[str]) -> str:
    if {"order_id", "total"} & set(fields):
        return "orders"
    if "spend" in fields:
        return "spend"
    if "page" in fields or "views" in fields:
        return "content"
    if {"occurred_at", "subject"} & set(fields):
        return "interactions"
    return "people"


def mapping_scaffold(path: Path, *, name: str | None = None) -> str:
    from eclp.sources.detect import detect
    from eclp.sources.profiles import header_hints
    from eclp.sources.reader import read_inputs, read_table

    member, data = read_inputs(Path(path))[0]
    raw = read_table(data, name=member, header_hints=header_hints())
    headers = list(raw.frame.columns)
    source = name or re.sub(r"[^a-z0-9]+", "_", Path(path).stem.lower()).strip("_") or "my_source"
    detection = detect(headers, file_name=member)
    lines = [f"# eclp map {Path(path).name}: paste under `sources:` in eclp.yaml and check it."]
    if detection.profile is not None:
        lines.append(
            f"# This looks like the built-in profile {detection.profile.name} "
            f"(confidence {detection.confidence:.2f}): no mapping is needed."
        )
    guesses = guess_fields(headers)
    guesses = {h: guesses[h] for h in headers}
    kind = guess_kind([f for f, _ in guesses.values() if f])
    columns = {h: f for h, (f, _) in guesses.items() if f}
    entry = {"match": Path(path).name, "kind": kind, "header_row": raw.header_row}
    if raw.sheet:
        entry["sheet"] = raw.sheet
    entry["columns"] = columns or {}
    body = yaml.safe_dump({"sources": {source: entry}}, sort_keys=False, allow_unicode=True)
    lines.append(body.rstrip())
    unmapped = [h for h, (f, _) in guesses.items() if not f]
    if unmapped:
        lines.append(
            "# Columns with no guess (map them by hand, e.g. `Column: email`, or leave out):"
        )
        lines.extend(f"#   {h}" for h in unmapped)
    lines.append(f"# Canonical {kind} fields: {' '.join(FIELDS_BY_KIND[kind])}")
    return "\n".join(lines) + "\n"
