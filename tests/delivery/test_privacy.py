"""`eclp forget` and `eclp export-subject`: erasure that sticks, access that is complete (spec §8)."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from eclp.delivery.privacy import export_subject, find_subject, forget, suppression_mask
from eclp.delivery.suppression import SALT_KEY
from eclp.errors import EclpError, NotFoundError

T0 = datetime(2026, 10, 1, 9, 30)
PEOPLE = [
    # source, id, customer_ref, email, phone, first, last, full, tags, file, row, batch
    (
        "shopify",
        "8779761975521",
        None,
        "ana.lima@gmail.com",
        "+16175550101",
        "Ana",
        "Lima",
        None,
        '=HYPERLINK("http://x")',
        "customers_export.csv",
        2,
        1,
    ),
    (
        "shopify",
        "8779761975522",
        None,
        "bob.stone@yahoo.com",
        None,
        "Bob",
        "Stone",
        None,
        None,
        "customers_export.csv",
        3,
        1,
    ),
    (
        "mailchimp",
        "ana.lima@gmail.com",
        None,
        "ana.lima@gmail.com",
        None,
        None,
        None,
        "Ana Lima",
        None,
        "subscribed_members_export.csv",
        2,
        2,
    ),
    (
        "shopify_orders",
        "ana.lima@gmail.com",
        None,
        "ana.lima@gmail.com",
        "+16175550101",
        None,
        None,
        "Ana Lima",
        None,
        "orders_export_1.csv",
        2,
        3,
    ),
    (
        "shopify_orders",
        "bob.stone@yahoo.com",
        None,
        "bob.stone@yahoo.com",
        None,
        None,
        None,
        "Bob Stone",
        None,
        "orders_export_1.csv",
        4,
        3,
    ),
    (
        "zendesk",
        "z-ana",
        None,
        "ana.lima@gmail.com",
        None,
        None,
        None,
        "Ana Lima",
        None,
        "zendesk_tickets.csv",
        2,
        4,
    ),
    (
        "hubspot",
        "501",
        None,
        "ana@limaconsulting.com",
        "+442079460958",
        "Ana",
        "Lima",
        None,
        None,
        "hubspot-contacts.csv",
        2,
        5,
    ),
    # Ingested after the last build: no customer id yet, shares Ana's phone.
    (
        "loyalty",
        "L-77",
        "card-77",
        None,
        "+16175550101",
        None,
        None,
        "A. Lima",
        None,
        "loyalty_members.xlsx",
        5,
        6,
    ),
]
CUSTOMER_IDS = [
    ("shopify", "8779761975521", "C000001"),
    ("mailchimp", "ana.lima@gmail.com", "C000001"),
    ("shopify_orders", "ana.lima@gmail.com", "C000001"),
    ("zendesk", "z-ana", "C000001"),
    ("shopify", "8779761975522", "C000002"),
    ("shopify_orders", "bob.stone@yahoo.com", "C000002"),
    ("hubspot", "501", "C000003"),
]
FILES = [
    (1, "customers_export.csv", "shopify"),
    (2, "subscribed_members_export.csv", "mailchimp"),
    (3, "orders_export_1.csv", "shopify_orders"),
    (4, "zendesk_tickets.csv", "zendesk"),
    (5, "hubspot-contacts.csv", "hubspot"),
    (6, "loyalty_members.xlsx", "loyalty"),
]


def insert(store, table: str, frame: pd.DataFrame) -> None:
    store.con.register("rows_in", frame)
    store.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM rows_in")
    store.con.unregister("rows_in")


@pytest.fixture
def shop(store):
    """A store after two builds' worth of data: Ana (C000001), Bob, and another Ana Lima."""
    people = pd.DataFrame(
        PEOPLE,
        columns=[
            "source",
            "source_record_id",
            "customer_ref",
            "email",
            "phone",
            "first_name",
            "last_name",
            "full_name",
            "tags",
            "file",
            "row",
            "batch_id",
        ],
    )
    people["email_raw"] = people["email"].str.upper()
    insert(store, "person_records", people)
    insert(
        store,
        "orders",
        pd.DataFrame(
            [
                (
                    "shopify_orders",
                    "#1001",
                    "ana.lima@gmail.com",
                    T0,
                    66.45,
                    "orders_export_1.csv",
                    2,
                    3,
                ),
                (
                    "shopify_orders",
                    "#1004",
                    "ana.lima@gmail.com",
                    T0,
                    18.0,
                    "orders_export_1.csv",
                    3,
                    3,
                ),
                (
                    "shopify_orders",
                    "#1002",
                    "bob.stone@yahoo.com",
                    T0,
                    94.56,
                    "orders_export_1.csv",
                    4,
                    3,
                ),
            ],
            columns=[
                "source",
                "order_id",
                "person_record_id",
                "order_date",
                "total",
                "file",
                "row",
                "batch_id",
            ],
        ),
    )
    insert(
        store,
        "order_lines",
        pd.DataFrame(
            [
                ("shopify_orders", "#1001", 1, "TS-001", "orders_export_1.csv", 2, 3),
                ("shopify_orders", "#1001", 2, "MG-003", "orders_export_1.csv", 2, 3),
                ("shopify_orders", "#1004", 1, "MG-003", "orders_export_1.csv", 3, 3),
                ("shopify_orders", "#1002", 1, "TS-001", "orders_export_1.csv", 4, 3),
            ],
            columns=["source", "order_id", "line_no", "sku", "file", "row", "batch_id"],
        ),
    )
    insert(
        store,
        "interactions",
        pd.DataFrame(
            [
                (
                    "zendesk",
                    "9001",
                    "z-ana",
                    "ticket",
                    "Where is my order?",
                    "zendesk_tickets.csv",
                    2,
                    4,
                )
            ],
            columns=[
                "source",
                "interaction_id",
                "person_record_id",
                "type",
                "subject",
                "file",
                "row",
                "batch_id",
            ],
        ),
    )
    insert(
        store,
        "customer_ids",
        pd.DataFrame(CUSTOMER_IDS, columns=["source", "source_record_id", "customer_id"]),
    )
    insert(
        store,
        "review_decisions",
        pd.DataFrame(
            [("shopify", "8779761975521", "hubspot", "501", "different", T0)],
            columns=[
                "source_a",
                "record_id_a",
                "source_b",
                "record_id_b",
                "decision",
                "decided_at",
            ],
        ),
    )
    insert(
        store,
        "identity_events",
        pd.DataFrame(
            [(1, "merged", "C000001", None), (1, "created", "C000002", None)],
            columns=["build_id", "event", "customer_id", "other_customer_id"],
        ),
    )
    insert(
        store,
        "rejects",
        pd.DataFrame(
            [
                (1, "customers_export.csv", 2, "birth_date", "31/02/1990", "not a date"),
                (1, "customers_export.csv", 3, "birth_date", "1990-13-01", "not a date"),
                (3, "orders_export_1.csv", 7, "email", "ANA.LIMA@GMAIL.COM ", "duplicate line"),
            ],
            columns=["batch_id", "file", "row", "column", "value", "reason"],
        ),
    )
    insert(
        store,
        "blanked_values",
        pd.DataFrame(
            [
                (1, "customers_export.csv", 2, "phone", "ext 12", "invalid phone"),
                (1, "customers_export.csv", 3, "email", "bob.stone(at)yahoo", "invalid email"),
            ],
            columns=["batch_id", "file", "row", "column", "value", "reason"],
        ),
    )
    insert(
        store,
        "batches",
        pd.DataFrame(FILES, columns=["batch_id", "file_name", "source"]).assign(status="ok"),
    )
    # Build snapshots the lead's build keeps as tables.
    store.con.execute(
        "CREATE TABLE golden_customers AS SELECT * FROM (VALUES ('C000001', 'Ana Lima'), "
        "('C000002', 'Bob Stone'), ('C000003', 'Ana Lima')) v(customer_id, full_name)"
    )
    store.con.execute(
        "CREATE TABLE identity_links AS SELECT * FROM (VALUES "
        "('shopify', '8779761975521', 'mailchimp', 'ana.lima@gmail.com', 0.98), "
        "('shopify', '8779761975522', 'shopify_orders', 'bob.stone@yahoo.com', 0.99)) "
        "v(source_a, source_record_id_a, source_b, source_record_id_b, p)"
    )
    return store


def count(store, table: str, where: str = "true") -> int:
    return store.con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


def test_find_subject_by_email_expands_to_every_linked_record(shop):
    match = find_subject(shop, "  Ana.Lima@Gmail.com ")
    assert match.customer_ids == ("C000001",)
    assert sorted(match.record_keys) == [
        ("loyalty", "L-77"),  # not built yet, but shares Ana's phone
        ("mailchimp", "ana.lima@gmail.com"),
        ("shopify", "8779761975521"),
        ("shopify_orders", "ana.lima@gmail.com"),
        ("zendesk", "z-ana"),
    ]
    assert match.emails == ("ana.lima@gmail.com",)
    assert "customer C000001" in match.describe() and "5 person records" in match.describe()


@pytest.mark.parametrize(
    "query", ["C000001", "+1 617-555-0101", "(617) 555-0101", "ana.lima@gmail.com"]
)
def test_find_subject_by_customer_id_or_phone(shop, query):
    assert find_subject(shop, query).customer_ids == ("C000001",)


def test_a_name_shared_by_two_customers_is_ambiguous_and_lists_them(shop):
    with pytest.raises(EclpError) as err:
        find_subject(shop, "ana lima")
    message = str(err.value)
    assert "matches several people" in message
    assert "C000001" in message and "C000003" in message and "ana@limaconsulting.com" in message


def test_nobody_matching_is_not_found(shop):
    with pytest.raises(NotFoundError, match=r"no person matches 'zoe@nowhere\.example'"):
        find_subject(shop, "zoe@nowhere.example")


def test_forget_erases_the_person_from_every_table_and_nobody_else(shop):
    report = forget(shop, "ana.lima@gmail.com")

    assert report.removed == {
        "person_records": 5,
        "orders": 2,
        "order_lines": 3,
        "interactions": 1,
        "rejects": 2,  # her row's bad birth date, and a rejected line carrying her email
        "blanked_values": 1,  # her row's junk phone; Bob's malformed email stays
        "customer_ids": 4,
        "golden_customers": 1,
        "identity_events": 1,
        "identity_links": 1,
        "review_decisions": 1,
    }
    assert count(shop, "person_records") == 3
    assert (
        count(shop, "person_records", "email = 'ana.lima@gmail.com' OR phone = '+16175550101'") == 0
    )
    assert count(shop, "orders", "order_id IN ('#1001', '#1004')") == 0
    assert count(shop, "orders") == 1 and count(shop, "order_lines") == 1
    assert count(shop, "customer_ids", "customer_id = 'C000001'") == 0
    assert count(shop, "customer_ids") == 3
    assert count(shop, "golden_customers") == 2
    assert count(shop, "rejects") == 1
    assert count(shop, "blanked_values", "value = 'bob.stone(at)yahoo'") == 1
    assert report.files == (
        "customers_export.csv",
        "loyalty_members.xlsx",
        "orders_export_1.csv",
        "subscribed_members_export.csv",
        "zendesk_tickets.csv",
    )
    assert "Erased customer C000001" in report.describe()


def test_suppression_holds_salted_hashes_never_identifiers(shop):
    report = forget(shop, "C000001")
    rows = shop.con.execute("SELECT kind, hash FROM suppression").fetchall()
    kinds = sorted({k for k, _ in rows})
    # email, phone, 5 record keys, the loyalty card and its customer ref
    assert kinds == ["customer_ref", "email", "phone", "record"]
    assert report.suppressed == len(rows) == 1 + 1 + 5 + 1
    text = " ".join(h for _, h in rows)
    for identifier in ("ana.lima@gmail.com", "+16175550101", "8779761975521", "L-77"):
        assert identifier not in text
    assert all(len(h) == 64 for _, h in rows)
    assert len(shop.meta_get(SALT_KEY)) == 32


def test_suppression_mask_drops_the_forgotten_on_reingest(shop):
    forget(shop, "ana.lima@gmail.com")
    incoming = pd.DataFrame(
        {
            "source": ["shopify", "shopify", "klaviyo", "shopify", "stripe"],
            "source_record_id": ["8779761975521", "8779761975522", "k-1", "new-9", "ch_1"],
            "email": [None, "bob.stone@yahoo.com", "ana.lima@gmail.com", "eve@x.example", None],
            "phone": [None, None, None, "+16175550101", None],
            "customer_ref": [None, None, None, None, None],
        },
        index=[10, 11, 12, 13, 14],
    )
    mask = suppression_mask(shop, incoming)
    assert mask.index.tolist() == [10, 11, 12, 13, 14]
    assert mask.tolist() == [True, False, True, True, False]
    assert count(shop, "suppression") == 8  # probing adds nothing


def test_suppression_mask_checks_other_tables_by_person_record(shop):
    forget(shop, "ana.lima@gmail.com")
    orders = pd.DataFrame(
        {
            "source": ["shopify_orders", "shopify_orders"],
            "order_id": ["#1001", "#1002"],
            "person_record_id": ["ana.lima@gmail.com", "bob.stone@yahoo.com"],
        }
    )
    assert suppression_mask(shop, orders).tolist() == [True, False]


def test_nothing_forgotten_means_nothing_dropped_and_no_salt_made(shop):
    incoming = pd.DataFrame(
        {"source": ["shopify"], "source_record_id": ["1"], "email": ["a@b.example"]}
    )
    assert suppression_mask(shop, incoming).tolist() == [False]
    assert shop.meta_get(SALT_KEY) is None


def test_forgetting_twice_finds_nobody_the_second_time(shop):
    forget(shop, "ana.lima@gmail.com")
    with pytest.raises(NotFoundError):
        forget(shop, "ana.lima@gmail.com")


def test_export_subject_writes_everything_as_json_and_xlsx(shop, tmp_path):
    paths = export_subject(shop, "ana.lima@gmail.com", tmp_path / "requests" / "ana")
    assert [p.name for p in paths] == ["ana.json", "ana.xlsx"]
    document = json.loads(paths[0].read_text(encoding="utf-8"))
    tables = document["tables"]
    assert document["subject"]["customer_ids"] == ["C000001"]
    assert len(tables["person_records"]) == 5
    assert sorted(o["order_id"] for o in tables["orders"]) == ["#1001", "#1004"]
    assert len(tables["order_lines"]) == 3
    assert tables["interactions"][0]["subject"] == "Where is my order?"
    assert tables["orders"][0]["order_date"] == "2026-10-01T09:30:00"
    assert len(tables["customer_ids"]) == 4
    assert [r["value"] for r in tables["blanked_values"]] == ["ext 12"]
    assert len(tables["review_decisions"]) == 1 and len(tables["identity_links"]) == 1
    assert [f["file_name"] for f in tables["files"]] == [
        name for _, name, _ in FILES if name != "hubspot-contacts.csv"
    ]
    assert all(r["email"] != "bob.stone@yahoo.com" for r in tables["person_records"])

    book = openpyxl.load_workbook(paths[1])
    assert "person_records" in book.sheetnames and "orders" in book.sheetnames
    sheet = book["person_records"]
    header = [c.value for c in sheet[1]]
    tags = [row[header.index("tags")] for row in sheet.iter_rows(min_row=2)]
    formula_cell = next(c for c in tags if c.value)
    assert formula_cell.value == '=HYPERLINK("http://x")' and formula_cell.data_type == "s"
    # Export is read-only: the store is unchanged.
    assert count(shop, "person_records") == 8
