"""Synthetic shop people spread over sources, with ground truth and the traps identity must survive.

Traps, at realistic rates: households sharing an email (and a landline) with different first
names; namesakes (same common name, other city, other email); nicknames; one-letter typos;
given/surname swapped; gmail aliases (dots, +tags, googlemail.com); alternate work emails;
loyalty cards with only a phone and a name; blank names on newsletter signups.

    python -m benchmarks.identity.generate --people 5000 --out /tmp/people.parquet
"""

from __future__ import annotations

import argparse
import random
import string
from dataclasses import dataclass

import pandas as pd

from benchmarks.identity.names import MODELS, zipf_pick

CITIES = [
    "london",
    "manchester",
    "birmingham",
    "leeds",
    "glasgow",
    "liverpool",
    "bristol",
    "sheffield",
    "edinburgh",
    "leicester",
    "coventry",
    "bradford",
    "cardiff",
    "belfast",
    "nottingham",
    "hull",
    "newcastle",
    "stoke",
    "southampton",
    "derby",
    "portsmouth",
    "brighton",
    "plymouth",
    "northampton",
    "reading",
    "luton",
    "wolverhampton",
    "bolton",
    "aberdeen",
    "bournemouth",
    "norwich",
    "swindon",
    "swansea",
    "milton-keynes",
    "southend",
    "middlesbrough",
    "sunderland",
    "warrington",
    "huddersfield",
    "slough",
    "oxford",
    "york",
    "poole",
    "ipswich",
    "telford",
    "cambridge",
    "dundee",
    "gloucester",
    "blackpool",
    "birkenhead",
    "watford",
    "exeter",
]
STREETS = [
    "high",
    "station",
    "church",
    "park",
    "victoria",
    "green",
    "manor",
    "kings",
    "queens",
    "grange",
    "mill",
    "school",
    "new",
    "albert",
    "london",
    "york",
    "west",
    "north",
    "south",
]
STREET_KINDS = ["Street", "Road", "Lane", "Avenue", "Close", "Drive", "Way", "Gardens"]
PERSONAL_DOMAINS = ["gmail.com"] * 5 + [
    "yahoo.co.uk",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "btinternet.com",
]
COMPANIES = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "wonka",
    "stark",
    "wayne",
    "tyrell",
]


@dataclass(frozen=True)
class Rates:
    """How often each trap occurs."""

    household: float = 0.08  # person shares email (and phone) with a spouse
    namesake: float = 0.03  # person copies another person's name, elsewhere
    nickname: float = 0.10  # a record uses a nickname of the first name
    typo: float = 0.04  # a record has a one-letter typo in a name
    swapped: float = 0.03  # a record has first/last swapped
    gmail_alias: float = 0.30  # a guest checkout of a gmail user uses an alias
    work_email: float = 0.15  # person has a work email used by some sources
    blank_name: float = 0.30  # a newsletter signup carries no name


def generate(
    people: int, seed: int = 7, rates: Rates = Rates(), names: str = "census"
) -> pd.DataFrame:
    """Person records (columns of person_records) plus `person_id`, the ground truth.

    names: the name model, "census" or "compact" (see benchmarks.identity.names).
    """
    rng = random.Random(seed)
    persons = _persons(people, rng, MODELS[names](), rates)
    rows: list[dict] = []
    counters: dict[str, int] = {}
    for person in persons:
        for source, record in _records_of(person, rng, rates):
            counters[source] = counters.get(source, 0) + 1
            record.update(
                source=source,
                source_record_id=f"{source[:2]}{counters[source]:08d}",
                person_id=person["pid"],
            )
            rows.append(record)
    frame = pd.DataFrame(rows)
    for col in (
        "email_raw",
        "phone_raw",
        "full_name",
        "company",
        "address2",
        "region",
        "gender",
        "customer_ref",
        "loyalty_id",
        "channel",
        "tags",
        "email_status",
    ):
        if col not in frame:
            frame[col] = None
    frame["email_raw"] = frame["email"]
    frame["phone_raw"] = frame["phone"]
    frame["full_name"] = (
        (frame["first_name"].fillna("") + " " + frame["last_name"].fillna(""))
        .str.strip()
        .replace("", None)
    )
    frame["country"] = "GB"
    frame["kind"] = "people"
    frame["birth_date"] = pd.to_datetime(frame.get("birth_date"))
    frame["created_at"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(
        frame.index.to_series() % 900, unit="D"
    )
    frame["updated_at"] = frame["created_at"]
    for col in ("email_consent", "sms_consent", "member_rating"):
        frame[col] = None
    frame["file"] = frame["source"] + ".csv"
    frame["row"] = frame.groupby("source").cumcount() + 2
    frame["batch_id"] = 1
    return frame


def _persons(n: int, rng: random.Random, names, rates: Rates) -> list[dict]:
    persons: list[dict] = []
    taken: set[str] = set()
    for pid in range(n):
        fname, nicks = names.first(rng)
        last = names.last(rng).capitalize()
        city = zipf_pick(rng, CITIES, 0.9)
        person = {
            "pid": pid,
            "first": fname.capitalize(),
            "nicks": [x.capitalize() for x in nicks],
            "last": last,
            "city": city.replace("-", " ").title(),
            "postcode": f"{city[:2].upper()}{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            "address1": f"{rng.randint(1, 250)} {rng.choice(STREETS).title()} {rng.choice(STREET_KINDS)}",
            "dob": f"{rng.randint(1945, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.5
            else None,
            "phone": f"+447{rng.randint(100000000, 999999999)}",
        }
        person["email"] = _personal_email(rng, person["first"], last, taken)
        if rng.random() < rates.work_email:
            person["work_email"] = (
                f"{person['first'][0].lower()}.{_slug(last)}@{rng.choice(COMPANIES)}{rng.randint(1, 400)}.co.uk"
            )
            person["company"] = "Company"
        if persons and rng.random() < rates.household:
            # Spouse of the previous person: same surname, address, email and landline-like phone.
            other = persons[-1]
            if "spouse_of" not in other:
                fname2, nicks2 = names.first(rng)
                if (
                    fname2.capitalize() != other["first"]
                    and fname2.capitalize() not in other["nicks"]
                ):
                    person.update(
                        first=fname2.capitalize(),
                        nicks=[x.capitalize() for x in nicks2],
                        last=other["last"],
                        city=other["city"],
                        postcode=other["postcode"],
                        address1=other["address1"],
                        email=other["email"],
                        spouse_of=other["pid"],
                    )
                    person["phone"] = other["phone"] if rng.random() < 0.5 else person["phone"]
        elif persons and rng.random() < rates.namesake:
            # Namesake: same name as someone earlier, different everything else.
            other = persons[rng.randrange(len(persons))]
            person.update(first=other["first"], nicks=other["nicks"], last=other["last"])
            person["email"] = _personal_email(rng, person["first"], person["last"], taken)
        persons.append(person)
    return persons


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


def _personal_email(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    """A personal address no other household uses (a mailbox belongs to one account)."""
    f, l_ = _slug(first), _slug(last)
    for attempt in range(100):
        style = rng.random()
        suffix = "" if attempt == 0 else str(rng.randint(1, 9999))
        if style < 0.4:
            local = f"{f}.{l_}{suffix}"
        elif style < 0.8:
            local = f"{f}{l_}{rng.randint(1, 999)}"
        else:
            local = f"{f[0]}{l_}{rng.randint(10, 99)}"
        email = f"{local}@{rng.choice(PERSONAL_DOMAINS)}"
        if email not in taken:
            taken.add(email)
            return email
    raise RuntimeError("could not make a unique email")


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _name(person: dict, rng: random.Random, rates: Rates) -> tuple[str, str]:
    first, last = person["first"], person["last"]
    if person["nicks"] and rng.random() < rates.nickname:
        first = rng.choice(person["nicks"])
    if rng.random() < rates.typo:
        if rng.random() < 0.5:
            last = _typo(rng, last)
        else:
            first = _typo(rng, first)
    return first, last


def _alias(rng: random.Random, email: str) -> str:
    local, domain = email.split("@")
    if domain != "gmail.com":
        return email
    kind = rng.random()
    if kind < 0.4:
        return f"{local}+shop@{domain}"
    if kind < 0.7:
        dotted = ".".join(local.replace(".", "")) if len(local) < 12 else local.replace(".", "")
        return f"{dotted}@{domain}"
    return f"{local}@googlemail.com"


def _records_of(person: dict, rng: random.Random, rates: Rates):
    """(source, record) pairs for one person."""
    base = {"city": person["city"], "postcode": person["postcode"], "address1": person["address1"]}
    dob = person["dob"]
    if rng.random() < 0.6:
        first, last = _name(person, rng, rates)
        yield (
            "shopify_customers",
            {
                **base,
                "email": person["email"],
                "first_name": first,
                "last_name": last,
                "phone": person["phone"] if rng.random() < 0.85 else None,
                "birth_date": None,
            },
        )
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        first, last = _name(person, rng, rates)
        email = (
            _alias(rng, person["email"]) if rng.random() < rates.gmail_alias else person["email"]
        )
        yield (
            "shopify_orders",
            {
                **base,
                "email": email,
                "first_name": first,
                "last_name": last,
                "phone": person["phone"] if rng.random() < 0.5 else None,
            },
        )
    if rng.random() < 0.5:
        blank = rng.random() < rates.blank_name
        first, last = _name(person, rng, rates)
        email = (
            person.get("work_email")
            if "work_email" in person and rng.random() < 0.4
            else person["email"]
        )
        blank = (
            blank and email == person["email"]
        )  # a work-address signup without a name is unlinkable
        yield (
            "mailchimp",
            {
                "email": email,
                "first_name": None if blank else first,
                "last_name": None if blank else last,
            },
        )
    if rng.random() < 0.25:
        first, last = _name(person, rng, rates)
        email = (
            person["work_email"]
            if "work_email" in person and rng.random() < 0.6
            else person["email"]
        )
        yield (
            "hubspot_contacts",
            {
                "email": email,
                "first_name": first,
                "last_name": last,
                "phone": person["phone"] if rng.random() < 0.5 else None,
                "company": person.get("company"),
                "city": person["city"],
            },
        )
    if rng.random() < 0.15:
        first, last = _name(person, rng, rates)
        if rng.random() < rates.swapped:
            first, last = last, first
        yield (
            "zendesk",
            {
                "email": person["email"],
                "first_name": first,
                "last_name": last,
                "phone": person["phone"] if rng.random() < 0.3 else None,
            },
        )
    if rng.random() < 0.2:
        first, last = _name(person, rng, rates)
        if rng.random() < rates.swapped:
            first, last = last, first
        yield (
            "loyalty",
            {
                "phone": person["phone"],
                "first_name": first,
                "last_name": last,
                "loyalty_id": f"L{person['pid']:07d}",
                "birth_date": dob,
            },
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--names", choices=["census", "compact"], default="census")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    frame = generate(args.people, args.seed, names=args.names)
    frame.to_parquet(args.out, index=False)
    print(f"{len(frame)} records of {frame['person_id'].nunique()} people → {args.out}")


if __name__ == "__main__":
    main()
