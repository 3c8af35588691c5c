"""Synthetic shop exports in the real platforms' formats, for examples and benchmarks.

One population of people shops at a store; each platform sees some of them, the way real
exports do: Shopify customers and orders (one row per line item, `-0300` offsets, apostrophe
ids), Mailchimp subscribed/unsubscribed files, HubSpot contacts with Original Source, Zendesk
tickets, a Google Ads report with title and total lines, and an in-store loyalty .xlsx with
title rows. Identity traps are built in: gmail aliases on guest checkouts, work emails in the
CRM, households sharing an email, nicknames, typos, and loyalty cards with only a mobile.

    python benchmarks/shopgen.py OUT_DIR --people 2000 [--lines 1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

FIRST = np.array(
    [
        "James",
        "Mary",
        "Robert",
        "Patricia",
        "John",
        "Jennifer",
        "Michael",
        "Linda",
        "William",
        "Elizabeth",
        "David",
        "Barbara",
        "Richard",
        "Susan",
        "Joseph",
        "Jessica",
        "Thomas",
        "Sarah",
        "Charles",
        "Karen",
        "Daniel",
        "Nancy",
        "Matthew",
        "Lisa",
        "Anthony",
        "Margaret",
        "Mark",
        "Sandra",
        "Steven",
        "Ashley",
        "Paul",
        "Emily",
        "Andrew",
        "Donna",
        "Joshua",
        "Michelle",
        "Kenneth",
        "Carol",
        "Kevin",
        "Amanda",
        "Brian",
        "Melissa",
        "George",
        "Deborah",
        "Oliver",
        "Amelia",
        "Harry",
        "Isla",
        "Jack",
        "Ava",
        "Noah",
        "Mia",
        "Leo",
        "Freya",
        "Arthur",
        "Chloe",
        "Oscar",
        "Sophie",
        "Zoe",
        "Aisha",
        "Mohammed",
        "Priya",
        "Wei",
        "Yuki",
        "Lucas",
        "Sofia",
        "Mateo",
        "Camila",
    ]
)
NICK = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Margaret": "Peggy",
    "James": "Jim",
    "Richard": "Dick",
    "Joseph": "Joe",
    "Thomas": "Tom",
    "Michael": "Mike",
    "Jennifer": "Jen",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Steven": "Steve",
    "Andrew": "Andy",
    "Joshua": "Josh",
    "Kenneth": "Ken",
}
LAST = np.array(
    [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martinez",
        "Hernandez",
        "Lopez",
        "Gonzalez",
        "Wilson",
        "Anderson",
        "Thomas",
        "Taylor",
        "Moore",
        "Jackson",
        "Martin",
        "Lee",
        "Perez",
        "Thompson",
        "White",
        "Harris",
        "Sanchez",
        "Clark",
        "Ramirez",
        "Lewis",
        "Robinson",
        "Walker",
        "Young",
        "Allen",
        "King",
        "Wright",
        "Scott",
        "Torres",
        "Nguyen",
        "Hill",
        "Flores",
        "Green",
        "Adams",
        "Nelson",
        "Baker",
        "Hall",
        "Rivera",
        "Campbell",
        "Mitchell",
        "Carter",
        "Roberts",
        "O'Brien",
        "McDonald",
        "Müller",
        "Kowalski",
        "Novak",
        "Rossi",
        "Bianchi",
        "Dubois",
        "Schmidt",
        "Jensen",
        "Patel",
        "Khan",
        "Tanaka",
        "Silva",
    ]
)
CITIES = [  # city, region code, country code, zip prefix, phone prefix
    ("Boston", "MA", "US", "021", "+1617"),
    ("New York", "NY", "US", "100", "+1212"),
    ("Austin", "TX", "US", "787", "+1512"),
    ("Seattle", "WA", "US", "981", "+1206"),
    ("Chicago", "IL", "US", "606", "+1312"),
    ("Denver", "CO", "US", "802", "+1303"),
    ("London", "ENG", "GB", "SW1A", "+4420"),
    ("Manchester", "ENG", "GB", "M1", "+44161"),
]
PROVIDERS = np.array(
    ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com"]
)
PRODUCTS = [
    ("TS-001", "Organic Cotton Tee", "Apparel", 28.0),
    ("HD-002", "Merino Hoodie", "Apparel", 89.0),
    ("MG-003", "Stoneware Mug", "Home", 18.0),
    ("CN-004", "Soy Candle", "Home", 24.0),
    ("BK-005", "Field Notebook", "Stationery", 12.5),
    ("BG-006", "Canvas Tote", "Accessories", 35.0),
    ("SK-007", "Wool Socks", "Apparel", 16.0),
    ("TB-008", "Travel Bottle", "Accessories", 32.0),
]
SOURCES = {
    "Organic Search": 0.3,
    "Paid Search": 0.2,
    "Paid Social": 0.15,
    "Email Marketing": 0.1,
    "Referrals": 0.1,
    "Direct Traffic": 0.15,
}


def people(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """The true population: one row per real person, with a truth id."""
    first = rng.choice(FIRST, n)
    last = rng.choice(LAST, n)
    city_idx = rng.integers(0, len(CITIES), n)
    city = np.array([CITIES[i] for i in city_idx], dtype=object)
    local = (
        pd.Series(first).str.lower()
        + np.where(rng.random(n) < 0.5, ".", "")
        + pd.Series(last).str.lower().str.replace(r"[^a-z]", "", regex=True)
        + pd.Series(rng.integers(1, 999, n)).astype(str).where(rng.random(n) < 0.4, "")
    )
    email = local + "@" + rng.choice(PROVIDERS, n)
    digits = pd.Series(rng.integers(1_000_000, 9_999_999, n)).astype(str)
    phone = pd.Series([c[4] for c in city]) + digits
    frame = pd.DataFrame(
        {
            "person": np.arange(n),
            "first": first,
            "last": last,
            "email": email,
            "phone": phone,
            "city": [c[0] for c in city],
            "region": [c[1] for c in city],
            "country": [c[2] for c in city],
            "zip": [
                c[3]
                + (f"{rng.integers(0, 99):02d}" if c[2] == "US" else f" {rng.integers(1, 9)}AB")
                for c in city
            ],
            "street": pd.Series(rng.integers(1, 400, n)).astype(str)
            + " "
            + rng.choice(
                np.array(["Main St", "Oak Ave", "High Street", "Park Rd", "Elm St", "Mill Lane"]), n
            ),
            "source": rng.choice(list(SOURCES), n, p=list(SOURCES.values())),
            "created": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 1000, n), "D"),
        }
    )
    # Households: some people share their partner's email address (different first name).
    house = rng.random(n) < 0.03
    partner = rng.integers(0, n, n)
    frame.loc[house, "email"] = frame.loc[partner[house], "email"].to_numpy()
    frame.loc[house, "last"] = frame.loc[partner[house], "last"].to_numpy()
    return frame


def gmail_alias(email: pd.Series, rng: np.random.Generator) -> pd.Series:
    """john.smith@gmail.com → johnsmith+shop@googlemail.com and similar, for gmail users."""
    local, _, domain = email.str.partition("@")[[0, 1, 2]].T.to_numpy()
    alias = pd.Series(local).str.replace(".", "", regex=False) + "+shop@googlemail.com"
    is_gmail = pd.Series(domain) == "gmail.com"
    return pd.Series(
        np.where(is_gmail & (rng.random(len(email)) < 0.5), alias, email), index=email.index
    )


def typo(s: pd.Series, rng: np.random.Generator, rate: float) -> pd.Series:
    """Drop or swap one letter in a share of the values."""

    def one(v: str) -> str:
        if len(v) < 4:
            return v
        i = int(rng.integers(1, len(v) - 1))
        return v[:i] + v[i + 1 :] if rng.random() < 0.5 else v[:i] + v[i + 1] + v[i] + v[i + 2 :]

    hit = rng.random(len(s)) < rate
    out = s.copy()
    out[hit] = s[hit].map(one)
    return out


def shopify_customers(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    c = p.sample(frac=0.7, random_state=int(rng.integers(1 << 30))).sort_values("person")
    ids = "'" + (8_779_761_975_521 + c["person"] * 7919).astype(str)
    return pd.DataFrame(
        {
            "Customer ID": ids,
            "First Name": c["first"],
            "Last Name": c["last"],
            "Email": c["email"],
            "Accepts Email Marketing": np.where(rng.random(len(c)) < 0.6, "yes", "no"),
            "Default Address Company": "",
            "Default Address Address1": c["street"],
            "Default Address Address2": "",
            "Default Address City": c["city"],
            "Default Address Province Code": c["region"],
            "Default Address Country Code": c["country"],
            "Default Address Zip": "'" + c["zip"],
            "Default Address Phone": "'" + c["phone"],
            "Phone": np.where(rng.random(len(c)) < 0.5, "'" + c["phone"], ""),
            "Accepts SMS Marketing": np.where(rng.random(len(c)) < 0.2, "yes", "no"),
            "Total Spent": "0.00",
            "Total Orders": "0",
            "Note": "",
            "Tax Exempt": "no",
            "Tags": np.where(rng.random(len(c)) < 0.2, "vip, newsletter", ""),
        }
    )


def shopify_orders(p: pd.DataFrame, rng: np.random.Generator, lines: int) -> pd.DataFrame:
    """One row per line item; order-level fields only on an order's first line."""
    n_orders = max(1, int(lines / 2.2))
    weights = rng.pareto(1.5, len(p)) + 1
    buyer = rng.choice(len(p), n_orders, p=weights / weights.sum())
    per_order = rng.integers(1, 5, n_orders)
    order_idx = np.repeat(np.arange(n_orders), per_order)[:lines]
    first_line = np.r_[True, order_idx[1:] != order_idx[:-1]]
    b = p.iloc[buyer[order_idx]].reset_index(drop=True)
    when = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700 * 86400, n_orders), "s")
    when = when.sort_values()
    prod = rng.integers(0, len(PRODUCTS), len(order_idx))
    qty = rng.integers(1, 4, len(order_idx))
    price = np.array([PRODUCTS[i][3] for i in prod])
    sub = pd.Series(price * qty).groupby(order_idx).transform("sum").to_numpy()
    shipping = np.where(sub > 75, 0.0, 6.95)
    tax = np.round(sub * 0.0625, 2)
    status = rng.choice(
        np.array(["paid", "paid", "paid", "paid", "refunded", "partially_refunded", "voided"]),
        n_orders,
    )[order_idx]
    refunded = np.where(
        status == "refunded",
        sub + shipping + tax,
        np.where(status == "partially_refunded", np.round(sub * 0.3, 2), 0.0),
    )
    email = gmail_alias(b["email"], rng)
    created = when[order_idx].strftime("%Y-%m-%d %H:%M:%S") + " -0300"

    def first(values):
        return np.where(first_line, values, "")

    name = (b["first"] + " " + b["last"]).to_numpy()
    return pd.DataFrame(
        {
            "Name": "#" + (1001 + order_idx).astype(str),
            "Email": email.to_numpy(),
            "Financial Status": first(status),
            "Paid at": first(created),
            "Fulfillment Status": first("fulfilled"),
            "Fulfilled at": first(created),
            "Accepts Marketing": first(np.where(rng.random(len(order_idx)) < 0.5, "yes", "no")),
            "Currency": first("USD"),
            "Subtotal": first(np.char.mod("%.2f", sub)),
            "Shipping": first(np.char.mod("%.2f", shipping)),
            "Taxes": first(np.char.mod("%.2f", tax)),
            "Total": first(np.char.mod("%.2f", sub + shipping + tax)),
            "Discount Code": "",
            "Discount Amount": first("0.00"),
            "Shipping Method": first("Standard"),
            "Created at": created,
            "Lineitem quantity": qty,
            "Lineitem name": [PRODUCTS[i][1] for i in prod],
            "Lineitem price": np.char.mod("%.2f", price),
            "Lineitem compare at price": "",
            "Lineitem sku": [PRODUCTS[i][0] for i in prod],
            "Lineitem requires shipping": "true",
            "Lineitem taxable": "true",
            "Lineitem fulfillment status": "fulfilled",
            "Billing Name": first(name),
            "Billing Street": first(b["street"].to_numpy()),
            "Billing Address1": first(b["street"].to_numpy()),
            "Billing Address2": "",
            "Billing Company": "",
            "Billing City": first(b["city"].to_numpy()),
            "Billing Zip": first("'" + b["zip"].to_numpy()),
            "Billing Province": first(b["region"].to_numpy()),
            "Billing Country": first(b["country"].to_numpy()),
            "Billing Phone": first(b["phone"].to_numpy()),
            "Shipping Name": first(name),
            "Shipping City": first(b["city"].to_numpy()),
            "Shipping Zip": first("'" + b["zip"].to_numpy()),
            "Shipping Country": first(b["country"].to_numpy()),
            "Notes": "",
            "Cancelled at": first(np.where(status == "voided", created, "")),
            "Payment Method": first("Shopify Payments"),
            "Refunded Amount": first(np.char.mod("%.2f", refunded)),
            "Vendor": "Acme",
            "Id": first((5_000_000_000 + order_idx).astype(str)),
            "Tags": "",
            "Risk Level": first("Low"),
            "Source": first(
                rng.choice(np.array(["web", "web", "pos", "shopify_draft_order"]), len(order_idx))
            ),
            "Lineitem discount": "0.00",
            "Tax 1 Name": first("State Tax 6.25%"),
            "Tax 1 Value": first(np.char.mod("%.2f", tax)),
            "Tax 2 Name": "",
            "Tax 2 Value": "",
            "Phone": "",
            "Receipt Number": "",
            "Duties": "",
            "Billing Province Name": first(b["region"].to_numpy()),
            "Shipping Street": first(b["street"].to_numpy()),
            "Shipping Address1": first(b["street"].to_numpy()),
            "Shipping Province": first(b["region"].to_numpy()),
            "Shipping Province Name": first(b["region"].to_numpy()),
            "Shipping Phone": first(b["phone"].to_numpy()),
            "Note Attributes": first("gift_wrap: no"),
            "Payment Reference": first(np.char.add("c", (27_000_000_000 + order_idx).astype(str))),
            "Outstanding Balance": first("0.00"),
            "Employee": "",
            "Location": first("Online Store"),
            "Device ID": "",
            "Payment ID": first(np.char.add("c", (27_000_000_000 + order_idx).astype(str))),
            "Payment Terms Name": "",
            "Next Payment Due At": "",
            "Payment References": first(np.char.add("c", (27_000_000_000 + order_idx).astype(str))),
        }
    )


def mailchimp(p: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    m = p.sample(frac=0.5, random_state=int(rng.integers(1 << 30)))
    # Some subscribe with a work address, named after the first name + company domain.
    work = rng.random(len(m)) < 0.15
    email = m["email"].where(
        ~work,
        m["first"].str.lower()
        + "@"
        + m["last"].str.lower().str.replace(r"[^a-z]", "", regex=True)
        + "-consulting.com",
    )
    first = m["first"].map(lambda f: NICK.get(f, f)).where(rng.random(len(m)) < 0.3, m["first"])
    base = pd.DataFrame(
        {
            "Email Address": email,
            "First Name": first,
            "Last Name": typo(m["last"], rng, 0.05),
            "Address": "",
            "Phone Number": "",
            "Birthday": "",
            "MEMBER_RATING": rng.integers(1, 6, len(m)),
            "OPTIN_TIME": (m["created"] + pd.Timedelta(hours=3)).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "OPTIN_IP": "",
            "CONFIRM_TIME": "",
            "CONFIRM_IP": "",
            "LATITUDE": "",
            "LONGITUDE": "",
            "GMTOFF": "",
            "DSTOFF": "",
            "TIMEZONE": "",
            "CC": m["country"],
            "REGION": "",
            "LAST_CHANGED": (m["created"] + pd.Timedelta(days=30)).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "LEID": rng.integers(10**8, 10**9, len(m)),
            "EUID": "",
            "NOTES": "",
            "TAGS": "",
        }
    ).drop_duplicates("Email Address")
    unsub = rng.random(len(base)) < 0.15
    out = {"subscribed_members_export_4f1a.csv": base[~unsub]}
    u = base[unsub].assign(
        UNSUB_TIME=base["LAST_CHANGED"],
        UNSUB_CAMPAIGN_TITLE="Spring sale",
        UNSUB_CAMPAIGN_ID="a1b2c3",
        UNSUB_REASON="",
        UNSUB_REASON_OTHER="",
    )
    out["unsubscribed_members_export_4f1a.csv"] = u
    return out


def hubspot(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    h = p.sample(frac=0.4, random_state=int(rng.integers(1 << 30)))
    phone = h["phone"].str.replace(r"^\+1(\d{3})(\d{3})(\d{4})$", r"(\1) \2-\3", regex=True)
    return pd.DataFrame(
        {
            "Record ID": (51_000 + h["person"]).astype(str),
            "First Name": h["first"],
            "Last Name": h["last"],
            "Email": h["email"].where(rng.random(len(h)) > 0.1, ""),
            "Phone Number": phone,
            "Contact owner": "Dana Lee",
            "Primary Associated Company ID": "",
            "Last Activity Date": "",
            "Lead Status": rng.choice(np.array(["New", "Open", "Connected"]), len(h)),
            "Marketing contact status": "Marketing contact",
            "Create Date": h["created"].dt.strftime("%Y-%m-%d %H:%M"),
            "Associated Company": "",
            "Original Source": h["source"],
        }
    )


def zendesk(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = max(1, len(p) // 5)
    who = p.iloc[rng.integers(0, len(p), n)].reset_index(drop=True)
    when = pd.Timestamp("2024-02-01") + pd.to_timedelta(rng.integers(0, 600 * 86400, n), "s")
    return pd.DataFrame(
        {
            "Summation column": "",
            "Id": np.arange(2001, 2001 + n),
            "Requester": who["first"] + " " + who["last"],
            "Requester id": (360_000 + who["person"]).astype(str),
            "Requester external id": "",
            "Requester email": who["email"],
            "Requester domain": who["email"].str.split("@").str[1],
            "Submitter": who["first"] + " " + who["last"],
            "Assignee": "Sam Support",
            "Group": "Support",
            "Subject": rng.choice(
                np.array(
                    [
                        "Where is my order?",
                        "Return request",
                        "Wrong size",
                        "Discount code not working",
                        "Damaged item",
                    ]
                ),
                n,
            ),
            "Tags": "",
            "Status": rng.choice(np.array(["Solved", "Closed", "Open", "Pending"]), n),
            "Priority": "Normal",
            "Via": "Mail",
            "Ticket type": "Question",
            "Created at": when.strftime("%Y-%m-%d %H:%M:%S"),
            "Updated at": (when + pd.Timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
            "Satisfaction Score": rng.choice(
                np.array(["Good", "Bad", "Not Offered", "Offered"]), n
            ),
        }
    )


def google_ads(rng: np.random.Generator, days: int = 60) -> str:
    rows = [
        "Campaign performance",
        '"January 1, 2025 - March 1, 2025"',
        "Day,Campaign,Campaign state,Campaign type,Clicks,Impr.,CTR,Currency code,Avg. CPC,Cost,Conversions,Cost / conv.,Conv. rate",
    ]
    total_cost = 0.0
    for d in pd.date_range("2025-01-01", periods=days):
        for camp in ("Brand - Search", "Generic - Shopping"):
            clicks = int(rng.integers(20, 400))
            impr = clicks * int(rng.integers(8, 30))
            cost = round(clicks * float(rng.uniform(0.4, 1.6)), 2)
            conv = round(clicks * float(rng.uniform(0.01, 0.05)), 1)
            total_cost += cost
            rows.append(
                f'{d:%Y-%m-%d},{camp},Enabled,Search,"{clicks:,}","{impr:,}",'
                f'{clicks / impr:.2%},USD,${cost / clicks:.2f},"${cost:,.2f}",{conv},'
                f"{'--' if conv == 0 else f'${cost / conv:.2f}'},{conv / clicks:.2%}"
            )
    rows.append(f'Total: Account,,,,,,,USD,,"${total_cost:,.2f}",,,')
    return "\n".join(rows) + "\n"


def loyalty_xlsx(p: pd.DataFrame, rng: np.random.Generator, path: Path) -> None:
    """In-store loyalty members: two title rows, a blank row, then the header."""
    import xlsxwriter

    m = p.sample(frac=0.2, random_state=int(rng.integers(1 << 30)))
    first = m["first"].map(lambda f: NICK.get(f, f)).where(rng.random(len(m)) < 0.4, m["first"])
    mobile = m["phone"].str.replace(r"^\+44", "0", regex=True).str.replace(r"^\+1", "", regex=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Members")
    ws.write_string(0, 0, "Loyalty Club — member list")
    ws.write_string(1, 0, "Exported from StoreHub POS")
    header = ["Card No", "Name", "Mobile", "Joined", "Points", "Home Store"]
    for j, h in enumerate(header):
        ws.write_string(3, j, h)
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for i, (card, f, last, mob, created, city) in enumerate(
        zip(700_000 + m["person"], first, m["last"], mobile, m["created"], m["city"], strict=True)
    ):
        ws.write_string(4 + i, 0, str(card))
        ws.write_string(4 + i, 1, f"{last}, {f}" if i % 3 == 0 else f"{f} {last}")
        ws.write_string(4 + i, 2, mob)
        ws.write_datetime(4 + i, 3, created.to_pydatetime(), date_fmt)
        ws.write_number(4 + i, 4, int(rng.integers(0, 5000)))
        ws.write_string(4 + i, 5, city)
    wb.close()


def generate(out: Path, n_people: int, seed: int = 7, lines: int | None = None) -> dict[str, Path]:
    """Write every export into out/; returns file name -> path."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    p = people(n_people, rng)
    files: dict[str, Path] = {}

    def csv(name: str, frame: pd.DataFrame, **kw) -> None:
        files[name] = out / name
        frame.to_csv(files[name], index=False, **kw)

    csv("customers_export.csv", shopify_customers(p, rng))
    csv("orders_export_1.csv", shopify_orders(p, rng, lines or n_people * 3))
    for name, frame in mailchimp(p, rng).items():
        csv(name, frame)
    csv("hubspot-crm-exports-all-contacts.csv", hubspot(p, rng))
    csv("zendesk_tickets.csv", zendesk(p, rng))
    files["google_ads_campaigns.csv"] = out / "google_ads_campaigns.csv"
    files["google_ads_campaigns.csv"].write_text(google_ads(rng), encoding="utf-8")
    files["loyalty_members.xlsx"] = out / "loyalty_members.xlsx"
    loyalty_xlsx(p, rng, files["loyalty_members.xlsx"])
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument(
        "--lines", type=int, default=None, help="Shopify order lines (default 3 per person)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = generate(args.out, args.people, args.seed, args.lines)
    for _name, path in files.items():
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
