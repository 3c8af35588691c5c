"""Scoring candidate pairs: Fellegi–Sunter style log2 weights per field comparison level.

Each field compares to one of four statuses — agree, fuzzy, disagree, missing — and a weight:
exact agreement is worth log2(m/u) with u the value's own frequency (a common surname is weak
evidence, a rare one strong); missing is 0 (blanks are neutral and never match); a different
first name that is no nickname, typo or initial, or a different birth date, is a hard conflict
that outweighs a shared household email and vetoes any merge in clustering.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from eclp.identity.names import (
    distinct_pairs,
    first_name_relations,
    lengths,
    share_a_group,
    similarity,
)
from eclp.identity.prepare import Prepared

MISSING, AGREE, FUZZY, DISAGREE = 0, 1, 2, 3
STATUS_NAMES = ("missing", "agree", "fuzzy", "disagree")
FIELDS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "birth_date",
    "postcode",
    "city",
    "address1",
    "address2",
    "region",
    "gender",
    "company",
    "loyalty_id",
)
IDENTIFYING = ("email", "phone", "loyalty_id", "birth_date", "postcode", "address1")
HARD_CONFLICT_WEIGHT = -14.0  # a different first name: outweighs the strongest shared email
DOB_CONFLICT_WEIGHT = -12.0
# log2 bits a whole name may add beyond the population's size: the odds that some other person
# shares it stay at least ~1 in 30 however rare the name.
NAME_CAP = 5.0
VOUCHED_CONFLICT_WEIGHT = -4.0  # a different name or date on a record its member id vouches for
DOB_AGREE_WEIGHT = 14.0  # log2 of ~365 days x 60 birth years


@dataclass(frozen=True)
class Comparison:
    """One field's comparison over all pairs: status codes and weights."""

    status: np.ndarray  # int8
    weight: np.ndarray  # float32


def score_pairs(prep: Prepared, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """Compare every pair (a[i], b[i]) field by field.

    Returns columns a, b, weight (sum of field weights, prior excluded), against (the sum of
    the negative field weights), conflict (hard),
    informative (an identifying field was compared), and s_<field> / w_<field> per field.
    """
    f = prep.features
    pop = prep.log_population  # an identifier shared by one person is worth about this much
    comps = {
        "email": _shared_id(f, a, b, "email", top=pop + 8.0, fuzzy_local=True),
        "phone": _shared_id(f, a, b, "phone", top=pop + 6.0),
        "birth_date": _dob(f["dob"].to_numpy(), a, b),
        "postcode": _coded(f, a, b, "postcode", high=pop, fuzzy=(0.8, 2.0), neg=-2.0),
        "city": _coded(f, a, b, "city", high=8.0, fuzzy=(0.9, 1.5), neg=-1.5),
        "address1": _address(f, a, b, "address1", high=pop, fuzzy=5.0, neg=-1.5),
        "address2": _address(f, a, b, "address2", high=4.0, fuzzy=1.0, neg=-0.5),
        "region": _flat(f, a, b, "region", agree=0.5, neg=-1.0),
        "gender": _flat(f, a, b, "gender", agree=0.3, neg=-4.0),
        "company": _flat(f, a, b, "company", agree=1.5, neg=0.0),
        "loyalty_id": _member_id(f, a, b, agree=pop + 8.0),
    }
    first, last = _names(prep, a, b)
    _cap_full_name(first, last, pop + NAME_CAP)
    comps["first_name"], comps["last_name"] = first, last
    conflict = _hard_conflicts(comps)
    out = {"a": a, "b": b}
    total = np.zeros(len(a), dtype=np.float64)
    against = np.zeros(len(a), dtype=np.float64)
    for field in FIELDS:
        out[f"s_{field}"] = comps[field].status
        out[f"w_{field}"] = comps[field].weight
        total += comps[field].weight
        against += np.minimum(comps[field].weight, 0.0)
    out["weight"] = total
    out["against"] = against
    out["conflict"] = conflict
    # Whether the pair could tell people apart: some identifying field compared on both sides.
    # Cluster support is judged on these pairs only; two records that share nothing but a
    # name (a loyalty card and a newsletter signup) neither support nor oppose a merge.
    informative = np.zeros(len(a), dtype=bool)
    for field in IDENTIFYING:
        informative |= comps[field].status != MISSING
    out["informative"] = informative
    # copy=False: millions of rows, no copy into consolidated blocks.
    return pd.DataFrame(out, copy=False)


def _hard_conflicts(comps: dict[str, Comparison]) -> np.ndarray:
    """Pairs a different first name or birth date keeps apart (their weights are softened in
    place where a member id vouches for the pair).

    Either vetoes a merge, unless a personal identifier a spouse would not share agrees: the
    birth date (for a first name), or the member id (one typo allowed). Then the record is a
    typo'd one, and its wrong name or date counts as an ordinary disagreement.
    """
    first, dob, member = comps["first_name"], comps["birth_date"], comps["loyalty_id"]
    id_ok = (member.status == AGREE) | (member.status == FUZZY)
    for comp in (first, dob):
        vouched = id_ok & (comp.status == DISAGREE)
        comp.weight[vouched] = VOUCHED_CONFLICT_WEIGHT
    name_part, date_part = conflict_parts(first.status, dob.status, member.status)
    return name_part | date_part


def conflict_parts(first: np.ndarray, dob: np.ndarray, member: np.ndarray):
    """From first-name, birth-date and member-id statuses: (a different first name that no
    equal birth date or member id vouches for, a different birth date no member id vouches for)."""
    id_ok = (member == AGREE) | (member == FUZZY)
    return (first == DISAGREE) & ~((dob == AGREE) | id_ok), (dob == DISAGREE) & ~id_ok


def _cap_full_name(first: Comparison, last: Comparison, cap: float) -> None:
    """A whole name is worth at most `cap`: the surname gives up the excess.

    Frequencies multiply as if given name and surname were independent, which makes a rare
    pair look unique (2^-28); yet people share whole names far more often than that (families,
    communities, plain namesakes). A name alone must never outweigh the odds against two
    records being one person, let alone a different email, phone and town.
    """
    excess = np.maximum(first.weight + last.weight - cap, 0.0).astype(np.float32)
    last.weight[:] = last.weight - excess


def probability(weight: np.ndarray, prior_weight: float) -> np.ndarray:
    """Match probability from a log2 Bayes factor and log2 prior odds."""
    return 1.0 / (1.0 + np.exp2(-(np.asarray(weight, dtype=np.float64) + prior_weight)))


def _levels(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.float32)


def _pair_codes(f: pd.DataFrame, col: str, a: np.ndarray, b: np.ndarray):
    codes = f[col].to_numpy()
    ca, cb = codes[a], codes[b]
    both = (ca >= 0) & (cb >= 0)
    return ca, cb, both, both & (ca == cb)


def _similarity(values: np.ndarray, a: np.ndarray, b: np.ndarray, scorer, codes=None) -> np.ndarray:
    """scorer(values[a], values[b]) element-wise (all values present).

    With the values' codes, each distinct pair of values is scored once (many pairs repeat
    the same two streets or postcodes).
    """
    if codes is None or not len(a):
        return similarity(values[a], values[b], scorer)
    rep, inverse = distinct_pairs(codes[a], codes[b])
    return similarity(values[a[rep]], values[b[rep]], scorer)[inverse]


def _shared_id(f, a, b, col: str, *, top: float, fuzzy_local: bool = False) -> Comparison:
    """An email or phone: worth `top` when one person uses it, 4 bits less per doubling of the
    people (distinct first names) sharing it; a different one is a weak negative (work vs
    personal address, mobile vs landline), never a veto. With fuzzy_local, the same mailbox
    name with digits in it at another provider (jsmith1987@gmail vs j.smith1987@yahoo) is fuzzy
    agreement; a mailbox that is only a name (john.smith@) is no evidence beyond the name.
    """
    status, weight = _levels(len(a))
    _, _, both, eq = _pair_codes(f, f"{col}_code", a, b)
    status[both], weight[both] = DISAGREE, -1.0
    if fuzzy_local:
        la, lb = f["email_local_code"].to_numpy()[a], f["email_local_code"].to_numpy()[b]
        distinct = f["email_local_distinct"].to_numpy()[a]
        same_box = both & ~eq & (la == lb) & (la >= 0) & distinct
        status[same_box], weight[same_box] = FUZZY, 2.0
    people = f[f"{col}_people"].to_numpy()[a[eq]]
    status[eq] = AGREE
    weight[eq] = np.clip(top - 4.0 * np.log2(np.maximum(people, 1)), 2.0, top)
    return Comparison(status, weight)


def _dob(dob: np.ndarray, a: np.ndarray, b: np.ndarray) -> Comparison:
    """Birth dates: equal is strong; one digit off, two neighbouring digits transposed or day and
    month swapped is a typo; else a conflict."""
    status, weight = _levels(len(a))
    da, db = dob[a], dob[b]
    both = (da >= 0) & (db >= 0)
    eq = both & (da == db)
    diff_idx = np.flatnonzero(both & ~eq)
    x, y = da[diff_idx], db[diff_idx]
    dx = np.stack([(x // 10**p) % 10 for p in range(8)])  # YYYYMMDD digits, last first
    dy = np.stack([(y // 10**p) % 10 for p in range(8)])
    off = dx != dy
    # Two neighbouring digits typed the wrong way round (1123 for 1213, 1941 for 1914).
    transposed = (off.sum(axis=0) == 2) & np.any(
        off[:-1] & off[1:] & (dx[:-1] == dy[1:]) & (dx[1:] == dy[:-1]), axis=0
    )
    swapped = (
        (x // 10000 == y // 10000) & ((x // 100) % 100 == y % 100) & (x % 100 == (y // 100) % 100)
    )
    typo = (off.sum(axis=0) <= 1) | swapped | transposed
    status[diff_idx] = np.where(typo, FUZZY, DISAGREE)
    weight[diff_idx] = np.where(typo, 5.0, DOB_CONFLICT_WEIGHT)
    status[eq], weight[eq] = AGREE, DOB_AGREE_WEIGHT
    return Comparison(status, weight)


def _coded(f, a, b, col, *, high, fuzzy, neg) -> Comparison:
    """Equal value (log2(0.9/frequency)), Jaro–Winkler ≥ fuzzy[0] (weight fuzzy[1]), else neg."""
    status, weight = _levels(len(a))
    _, _, both, eq = _pair_codes(f, f"{col}_code", a, b)
    status[both], weight[both] = DISAGREE, neg
    diff = np.flatnonzero(both & ~eq)
    codes = f[f"{col}_code"].to_numpy()
    sim = _similarity(f[col].to_numpy(), a[diff], b[diff], JaroWinkler.normalized_similarity, codes)
    close = diff[sim >= fuzzy[0]]
    status[close], weight[close] = FUZZY, fuzzy[1]
    status[eq] = AGREE
    weight[eq] = weight_from_tf(f[f"{col}_tf"].to_numpy()[a[eq]], 0.9, 0.5, high)
    return Comparison(status, weight)


def _address(f, a, b, col, *, high, fuzzy, neg) -> Comparison:
    """Address lines: equal (by frequency), token-set similar, or different."""
    status, weight = _levels(len(a))
    _, _, both, eq = _pair_codes(f, f"{col}_code", a, b)
    status[both], weight[both] = DISAGREE, neg
    diff = np.flatnonzero(both & ~eq)
    sim = _similarity(
        f[col].to_numpy(), a[diff], b[diff], token_set_ratio, f[f"{col}_code"].to_numpy()
    )
    close, near = diff[sim >= 85], diff[(sim >= 70) & (sim < 85)]
    status[close], weight[close] = FUZZY, fuzzy
    status[near], weight[near] = FUZZY, fuzzy * 0.3
    status[eq] = AGREE
    tf = f[f"{col}_tf"].to_numpy()[a[eq]] if f"{col}_tf" in f else np.full(eq.sum(), 1e-6)
    weight[eq] = weight_from_tf(tf, 0.9, 1.0, high)
    return Comparison(status, weight)


def _member_id(f, a, b, *, agree: float) -> Comparison:
    """A loyalty/member number: equal is strong; one typo away (a transposition, or a wrong
    character anywhere but the last) is nearly as strong, since cards issued one after the
    other (a couple's L0421 and L0422) differ in the last character; otherwise a weak negative.
    """
    status, weight = _levels(len(a))
    _, _, both, eq = _pair_codes(f, "loyalty_id_code", a, b)
    status[both], weight[both] = DISAGREE, -2.0
    diff = np.flatnonzero(both & ~eq)
    values = f["loyalty_id"].to_numpy()
    xs, ys = values[a[diff]], values[b[diff]]
    one_edit = similarity(xs, ys, OSA.distance) == 1
    long_enough = np.minimum(lengths(xs), lengths(ys)) >= 5
    last_only = np.fromiter(
        (len(x) == len(y) and x[:-1] == y[:-1] for x, y in zip(xs, ys, strict=True)),
        dtype=bool,
        count=len(xs),
    )
    typo = diff[one_edit & long_enough & ~last_only]
    status[typo], weight[typo] = FUZZY, agree - 6.0
    status[eq], weight[eq] = AGREE, agree
    return Comparison(status, weight)


def _flat(f, a, b, col, *, agree, neg) -> Comparison:
    """Equal or not, with fixed weights."""
    status, weight = _levels(len(a))
    _, _, both, eq = _pair_codes(f, f"{col}_code", a, b)
    status[both], weight[both] = DISAGREE, neg
    status[eq], weight[eq] = AGREE, agree
    return Comparison(status, weight)


def _names(prep: Prepared, a: np.ndarray, b: np.ndarray) -> tuple[Comparison, Comparison]:
    """First and last names: exact (by frequency), nickname, typo, initial, swapped order."""
    f = prep.features
    first, last = f["first"].to_numpy(), f["last"].to_numpy()
    fs, fw = _levels(len(a))
    ca, cb, both, eq = _pair_codes(f, "first_code", a, b)
    fs[both], fw[both] = DISAGREE, HARD_CONFLICT_WEIGHT
    diff = np.flatnonzero(both & ~eq)
    nick, typo, initial = first_name_relations(
        first[a[diff]], first[b[diff]], ca[diff], cb[diff], (prep.nickname_pairs, prep.n_first)
    )
    # Judged by the more common of the two names: "Matt" ~ "Matthew" is worth what Matthew is.
    tf = f["first_tf"].to_numpy()
    exact_w = weight_from_tf(np.fmax(tf[a[diff]], tf[b[diff]]), 0.95, 1.0, 12.0)
    fuzzy_w = np.select(
        [nick, typo, initial],
        [np.maximum(exact_w - 2, 1), np.maximum(exact_w - 3, 1), 1.0],
        default=np.nan,
    )
    ok = ~np.isnan(fuzzy_w)
    fs[diff[ok]], fw[diff[ok]] = FUZZY, fuzzy_w[ok]
    fs[eq] = AGREE
    fw[eq] = weight_from_tf(f["first_tf"].to_numpy()[a[eq]], 0.95, 1.0, 12.0)

    ls, lw = _levels(len(a))
    _, _, lboth, leq = _pair_codes(f, "last_code", a, b)
    ls[lboth], lw[lboth] = DISAGREE, -4.0
    ldiff = np.flatnonzero(lboth & ~leq)
    jw = JaroWinkler.normalized_similarity
    lsim = _similarity(last, a[ldiff], b[ldiff], jw, f["last_code"].to_numpy())
    ls[ldiff[lsim >= 0.85]], lw[ldiff[lsim >= 0.85]] = FUZZY, 1.0
    close = ldiff[lsim >= 0.92]
    ls[close] = FUZZY
    lw[close] = np.maximum(
        weight_from_tf(f["last_tf"].to_numpy()[a[close]], 0.95, 1.0, 16.0) - 3, 1
    )
    ls[leq] = AGREE
    lw[leq] = weight_from_tf(f["last_tf"].to_numpy()[a[leq]], 0.95, 1.0, 16.0)
    _swapped_names((first, f["first_whole"].to_numpy(), last), a, b, (fs, fw), (ls, lw))
    return Comparison(fs, fw), Comparison(ls, lw)


def _swapped_names(names, a, b, fsw, lsw) -> None:
    """Given name and surname entered the wrong way round: both parts count as fuzzy agreement.

    A surname of several words in the given-name field ("de la cruz") is compared whole.
    """
    first, whole, last = names
    (fs, fw), (ls, lw) = fsw, lsw
    cand = np.flatnonzero((fs == DISAGREE) & (ls == DISAGREE))
    if not len(cand):
        return
    jw = JaroWinkler.normalized_similarity
    s1 = _best_of_given(first, whole, last, a[cand], b[cand], jw)
    s2 = _best_of_given(first, whole, last, b[cand], a[cand], jw)
    # The given name may also be a nickname: "Mason Ginny" is Virginia Mason.
    s2 = np.where(share_a_group(last[a[cand]], first[b[cand]]), 1.0, s2)
    s1 = np.where(share_a_group(first[a[cand]], last[b[cand]]), 1.0, s1)
    swapped = cand[(s1 >= 0.92) & (s2 >= 0.92)]
    fs[swapped], fw[swapped] = FUZZY, 4.0
    ls[swapped], lw[swapped] = FUZZY, 6.0


def _best_of_given(first, whole, last, x, y, scorer) -> np.ndarray:
    """scorer(given name of x, surname of y), the given name taken as its first word or whole."""
    sim = similarity(first[x], last[y], scorer)
    several = np.flatnonzero(whole[x] != first[x])  # given names of more than one word
    if len(several):
        sim[several] = np.maximum(
            sim[several], similarity(whole[x[several]], last[y[several]], scorer)
        )
    return sim


def weight_from_tf(tf: np.ndarray, m: float, low: float, high: float) -> np.ndarray:
    """Fellegi–Sunter agreement weight log2(m/u) with u the value's frequency, clamped."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log2(m / np.where(tf > 0, tf, 1.0))
    return np.clip(np.nan_to_num(w, nan=low), low, high)
