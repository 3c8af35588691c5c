"""Finding one data subject: the person a forget or access request is about (spec §8).

A query (email, phone, name or customer id) selects person records; the last build's
`customer_ids` expands them to every record linked to the same golden customer. Records
ingested since that build carry no customer id yet: they join the subject when they share
the subject's email or phone (one hop, so a household email cannot chain in strangers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from eclp.errors import EclpError, NotFoundError
from eclp.normalize.email import clean_email_value
from eclp.normalize.phone import to_e164_value
from eclp.store import Store

PHONE_QUERY = re.compile(r"^\+?[\d\s().\-/]{6,}$")
PHONE_SUFFIX_DIGITS = 9
MATCH_COLUMNS = (
    "source",
    "source_record_id",
    "email",
    "email_raw",
    "phone",
    "full_name",
    "first_name",
    "last_name",
)  # numbers stored in E.164 match a national query on their last digits


@dataclass(frozen=True)
class SubjectMatch:
    """The records of one person, found from a query."""

    query: str
    customer_ids: tuple[str, ...]  # golden customer id(s) of the last build; () if never built
    record_keys: tuple[tuple[str, str], ...]  # (source, source_record_id)
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    names: tuple[str, ...]
    sources: tuple[str, ...]

    def keys_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.record_keys), columns=["source", "source_record_id"])

    def describe(self) -> str:
        who = f"customer {', '.join(self.customer_ids)}" if self.customer_ids else "a person"
        label = self.names[0] if self.names else (self.emails[0] if self.emails else self.query)
        n = len(self.record_keys)
        return (
            f"{who} ({label}): {n} person record{'s' if n != 1 else ''} "
            f"from {', '.join(self.sources)}"
        )

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "customer_ids": list(self.customer_ids),
            "records": [list(k) for k in self.record_keys],
            "emails": list(self.emails),
            "phones": list(self.phones),
            "names": list(self.names),
            "sources": list(self.sources),
        }


def find_subject(store: Store, query: str) -> SubjectMatch:
    """The one person a query names; NotFoundError if nobody, EclpError listing them if several."""
    text = " ".join(str(query).split())
    if not text:
        raise NotFoundError(
            "an empty query names nobody: give an email, phone, name or customer id"
        )
    # Only the columns a query can match on: the whole table of a big shop would not fit.
    records = store.con.execute(f"SELECT {', '.join(MATCH_COLUMNS)} FROM person_records").df()
    ids = store.con.execute("SELECT source, source_record_id, customer_id FROM customer_ids").df()
    records = records.merge(ids.drop_duplicates(["source", "source_record_id"]), how="left")
    hit, strong = _matching(records, ids, text)
    if not hit.any():
        raise NotFoundError(
            f"no person matches {text!r} (try an email, phone, name or customer id)"
        )
    group = _single_group(records, hit, strong, text)
    return _subject(text, records, group)


def _matching(records: pd.DataFrame, ids: pd.DataFrame, text: str) -> tuple[pd.Series, bool]:
    """Rows the query selects, and whether the query is a strong identifier (id, email, phone)."""
    if text in set(ids["customer_id"].dropna()):
        return records["customer_id"] == text, True
    if "@" in text:
        email = clean_email_value(text) or text.lower()
        raw = records["email_raw"].astype("string").str.strip().str.lower()
        return (records["email"] == email) | (raw == text.lower()).fillna(False), True
    if PHONE_QUERY.match(text):
        return _phone_hits(records["phone"], text), True
    lowered = text.lower()
    full = records["full_name"].astype("string").str.split().str.join(" ").str.lower()
    parts = (
        records["first_name"].astype("string").fillna("")
        + " "
        + records["last_name"].astype("string").fillna("")
    )
    joined = parts.str.split().str.join(" ").str.lower()
    return ((full == lowered) | (joined == lowered)).fillna(False).astype(bool), False


def _phone_hits(phones: pd.Series, text: str) -> pd.Series:
    e164 = to_e164_value(text)
    exact = phones == e164 if e164 else pd.Series(False, index=phones.index)
    digits = re.sub(r"\D", "", text).lstrip("0")
    if len(digits) < PHONE_SUFFIX_DIGITS:
        return exact.fillna(False).astype(bool)
    stored = phones.astype("string").str.replace(r"\D", "", regex=True)
    suffix = stored.str[-PHONE_SUFFIX_DIGITS:] == digits[-PHONE_SUFFIX_DIGITS:]
    return (exact | suffix).fillna(False).astype(bool)


def _single_group(records: pd.DataFrame, hit: pd.Series, strong: bool, text: str) -> pd.Series:
    """Rows of the one customer the hits belong to; several candidates is an error."""
    matched = records.loc[hit]
    cids = sorted(set(matched["customer_id"].dropna()))
    unassigned = matched[matched["customer_id"].isna()]
    # Unbuilt records found by a strong identifier are that person. Found by name, each
    # distinct email/phone/record not shared with the customer is another candidate.
    loose = 0
    if not strong:
        built = records["customer_id"].isin(cids)
        emails, phones = (
            set(records.loc[built, "email"].dropna()),
            set(records.loc[built, "phone"].dropna()),
        )
        shares = unassigned["email"].isin(emails) | unassigned["phone"].isin(phones)
        loose = _distinct_people(unassigned[~shares])
    if len(cids) + loose > 1:
        raise EclpError(_ambiguous(text, records, cids, unassigned))
    group = records["customer_id"].isin(cids) | (hit & records["customer_id"].isna())
    return _with_unbuilt_sharers(records, group.fillna(False).astype(bool))


def _distinct_people(frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    key = (
        frame["email"]
        .fillna(frame["phone"])
        .fillna(frame["source"] + ":" + frame["source_record_id"])
    )
    return int(key.nunique())


def _with_unbuilt_sharers(records: pd.DataFrame, group: pd.Series) -> pd.Series:
    """Add records not yet built into a customer that share the group's email or phone."""
    emails = set(records.loc[group, "email"].dropna())
    phones = set(records.loc[group, "phone"].dropna())
    unbuilt = records["customer_id"].isna()
    shares = records["email"].isin(emails) | records["phone"].isin(phones)
    return (group | (unbuilt & shares)).fillna(False).astype(bool)


def _ambiguous(text: str, records: pd.DataFrame, cids: list[str], unassigned: pd.DataFrame) -> str:
    lines = []
    for cid in cids[:10]:
        rows = records[records["customer_id"] == cid]
        lines.append(f"{cid} ({_label(rows)})")
    if len(lines) < 10:
        for _, row in unassigned.head(10 - len(lines)).iterrows():
            lines.append(f"{row['source']}:{row['source_record_id']} ({_label(row.to_frame().T)})")
    more = len(cids) - 10 if len(cids) > 10 else 0
    tail = f" and {more} more" if more else ""
    return (
        f"{text!r} matches several people: {'; '.join(lines)}{tail}. "
        "Name one by customer id, email or phone"
    )


def _label(rows: pd.DataFrame) -> str:
    emails = sorted(set(rows["email"].dropna()))
    names = sorted(set(rows["full_name"].dropna()))
    return ", ".join([*names[:1], *emails[:2]]) or f"{len(rows)} records"


def _subject(text: str, records: pd.DataFrame, group: pd.Series) -> SubjectMatch:
    rows = records.loc[group]
    names = rows["full_name"].dropna().tolist() + (
        (rows["first_name"].fillna("") + " " + rows["last_name"].fillna("")).str.strip().tolist()
    )
    return SubjectMatch(
        query=text,
        customer_ids=tuple(sorted(set(rows["customer_id"].dropna()))),
        record_keys=tuple(zip(rows["source"], rows["source_record_id"], strict=True)),
        emails=tuple(sorted(set(rows["email"].dropna()))),
        phones=tuple(sorted(set(rows["phone"].dropna()))),
        names=tuple(dict.fromkeys(n for n in names if n)),
        sources=tuple(sorted(set(rows["source"]))),
    )
