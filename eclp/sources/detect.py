"""Recognising an export's profile from its header row, with a confidence.

Confidence blends two questions: how much of the profile's signature the file carries (a
signature header counts when the field it feeds is present under any of its aliases, so a
translated or older header still counts), and how much of the file the profile knows (so a
Klaviyo file is not taken for Mailchimp because both have `First Name`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from eclp.errors import SourceError
from eclp.sources.profile import Profile, display_header, normalize_header

SIGNATURE_WEIGHT = 0.7
COVERAGE_WEIGHT = 0.3
FILE_HINT_BONUS = 0.05
MIN_CONFIDENCE = 0.6
CANDIDATES = 3


@dataclass(frozen=True)
class Detection:
    """The best profile for a header row (None when none is good enough) and the runners-up."""

    profile: Profile | None
    confidence: float  # 0..1
    candidates: tuple[tuple[str, float], ...]  # best few (name, confidence), best first
    generation: str = ""  # which header generation of the profile matched best


def detect(
    headers: Sequence[str],
    *,
    file_name: str = "",
    profiles: Mapping[str, Profile] | None = None,
    min_confidence: float = MIN_CONFIDENCE,
) -> Detection:
    """The profile whose signature best matches these headers, if confident enough."""
    if profiles is None:
        from eclp.sources.profiles import load_builtin_profiles

        profiles = load_builtin_profiles()
    present = [h for h in headers if h is not None and normalize_header(h)]
    scored = sorted(
        ((*_score(profile, present, file_name), profile) for profile in profiles.values()),
        key=lambda item: (-item[0], item[2].name),
    )
    candidates = tuple((p.name, round(conf, 3)) for conf, _, p in scored[:CANDIDATES] if conf > 0)
    if not scored or scored[0][0] < min_confidence:
        return Detection(None, round(scored[0][0], 3) if scored else 0.0, candidates)
    confidence, generation, best = scored[0]
    return Detection(best, round(confidence, 3), candidates, generation)


def _score(profile: Profile, headers: Sequence[str], file_name: str) -> tuple[float, str]:
    """(confidence, best generation) of one profile for one header row."""
    if not headers:
        return 0.0, ""
    keys = {normalize_header(h) for h in headers}
    fed = {profile.alias_keys[k] for k in keys if k in profile.alias_keys}
    fed |= {
        f
        for h in headers
        for pattern, f in profile.patterns
        if pattern.fullmatch(display_header(h))
    }
    best_recall, best_generation = 0.0, ""
    for generation, signature in profile.generations.items():
        recall = _signature_recall(profile, signature, keys, fed)
        if recall > best_recall:
            best_recall, best_generation = recall, generation
    coverage = sum(1 for h in headers if profile.knows(h)) / len(headers)
    confidence = SIGNATURE_WEIGHT * best_recall + COVERAGE_WEIGHT * coverage
    if best_recall and _hinted(profile, file_name):
        confidence += FILE_HINT_BONUS
    return min(confidence, 1.0), best_generation


def _signature_recall(
    profile: Profile, signature: Sequence[tuple[str, float]], keys: set[str], fed: set[str]
) -> float:
    """Weighted share of signature headers present, directly or through their field's aliases."""
    total = sum(weight for _, weight in signature)
    if not total:
        return 0.0
    hit = 0.0
    for header, weight in signature:
        key = normalize_header(header)
        if key in keys or profile.alias_keys.get(key) in fed:
            hit += weight
    return hit / total


def _hinted(profile: Profile, file_name: str) -> bool:
    name = PurePath(file_name).name.casefold()
    return bool(name) and any(fnmatch.fnmatch(name, hint.casefold()) for hint in profile.file_hints)


def detection_error(file_name: str, detection: Detection) -> SourceError:
    """The refusal for a file no profile matches well enough, naming the closest profiles."""
    closest = ", ".join(f"{name} {conf:.2f}" for name, conf in detection.candidates[:2])
    shown = PurePath(file_name).name or file_name
    return SourceError(
        f"no built-in profile matches these headers (closest: {closest or 'none'}); "
        f"run `eclp map {shown}` to write a mapping",
        file=shown,
    )


def guess_fields(
    headers: Sequence[str], profiles: Mapping[str, Profile] | None = None
) -> dict[str, str]:
    """Header -> the canonical field built-in profiles most often map it to (for `eclp map`)."""
    if profiles is None:
        from eclp.sources.profiles import load_builtin_profiles

        profiles = load_builtin_profiles()
    votes: dict[str, dict[str, int]] = {}
    for profile in profiles.values():
        for key, field_name in profile.alias_keys.items():
            if not field_name.startswith("_"):
                counts = votes.setdefault(key, {})
                counts[field_name] = counts.get(field_name, 0) + 1
    guesses: dict[str, str] = {}
    for header in headers:
        counts = votes.get(normalize_header(header))
        if counts:
            guesses[header] = max(sorted(counts), key=lambda f: counts[f])
    return guesses
