"""Stable ids across builds, review decisions always respected, review file round trip."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.errors import EclpError
from eclp.identity import explain_customer, export_review, read_decisions, resolve

from .conftest import customer_of, people, same_customer

BASE = [
    {
        "source": "shopify",
        "source_record_id": "1",
        "email": "ada@lovelace.org",
        "first_name": "Ada",
        "last_name": "Lovelace",
    },
    {
        "source": "shopify",
        "source_record_id": "2",
        "email": "alan@turing.org",
        "first_name": "Alan",
        "last_name": "Turing",
    },
    {"source": "mailchimp", "source_record_id": "ada@lovelace.org", "email": "ada@lovelace.org"},
    {
        "source": "shopify",
        "source_record_id": "3",
        "email": "grace@hopper.org",
        "first_name": "Grace",
        "last_name": "Hopper",
    },
]


def _previous(res) -> pd.DataFrame:
    return res.identity_map[["source", "source_record_id", "customer_id"]]


def test_ids_are_zero_padded_and_new_records_do_not_renumber_existing_customers():
    first = resolve(people(*BASE))
    assert set(first.identity_map["customer_id"]) == {"C0000001", "C0000002", "C0000003"}
    more = [
        {
            "source": "hubspot",
            "source_record_id": "h1",
            "email": "zed@zed.org",
            "first_name": "Zed",
            "last_name": "Zee",
        },
        {
            "source": "hubspot",
            "source_record_id": "h2",
            "email": "alan@turing.org",
            "first_name": "Alan",
            "last_name": "Turing",
        },
    ]
    # New records sort before the old ones, yet old customers keep their ids.
    second = resolve(people(*more, *BASE), previous_ids=_previous(first))
    for src, rid in [
        ("shopify", "1"),
        ("shopify", "2"),
        ("shopify", "3"),
        ("mailchimp", "ada@lovelace.org"),
    ]:
        assert customer_of(second, src, rid) == customer_of(first, src, rid)
    assert customer_of(second, "hubspot", "h2") == customer_of(first, "shopify", "2")
    assert customer_of(second, "hubspot", "h1") == "C0000004"
    assert set(second.events["event"]) == {"keep", "new"}


def test_a_merge_keeps_one_old_id_and_records_the_event():
    a = {
        "source": "shopify",
        "source_record_id": "1",
        "email": "kim@ex.com",
        "first_name": "Kim",
        "last_name": "Park",
        "phone": "+447700900001",
    }
    b = {
        "source": "loyalty",
        "source_record_id": "L9",
        "phone": "+447700900002",
        "first_name": "Kim",
        "last_name": "Park",
    }
    first = resolve(people(a, b))
    assert not same_customer(first, ("shopify", "1"), ("loyalty", "L9"))
    bridge = {
        "source": "zendesk",
        "source_record_id": "t1",
        "email": "kim@ex.com",
        "phone": "+447700900002",
        "first_name": "Kim",
        "last_name": "Park",
    }
    second = resolve(people(a, b, bridge), previous_ids=_previous(first))
    assert same_customer(second, ("shopify", "1"), ("loyalty", "L9"), ("zendesk", "t1"))
    merged = customer_of(second, "shopify", "1")
    assert merged == "C0000001"  # the lowest of the two old ids
    event = second.events[second.events["event"] == "merge"].iloc[0]
    assert (event["customer_id"], event["other_customer_id"]) == ("C0000001", "C0000002")


def test_a_split_keeps_the_id_for_the_largest_part():
    recs = people(*BASE)
    prev = pd.DataFrame(
        {
            "source": recs["source"],
            "source_record_id": recs["source_record_id"],
            "customer_id": "C0000007",
        }
    )
    res = resolve(recs, previous_ids=prev)
    ada = customer_of(res, "shopify", "1")
    assert ada == "C0000007"  # Ada's customer holds two of the four records
    others = {customer_of(res, "shopify", "2"), customer_of(res, "shopify", "3")}
    assert others == {"C0000008", "C0000009"}
    assert (res.events["event"] == "split").sum() == 2


def test_different_decision_splits_even_a_strong_match_and_same_merges_a_weak_one():
    recs = people(*BASE)
    decisions = pd.DataFrame(
        [
            ["mailchimp", "ada@lovelace.org", "shopify", "1", "different"],
            ["shopify", "3", "shopify", "2", "same"],
        ],
        columns=["source_a", "record_id_a", "source_b", "record_id_b", "decision"],
    )
    res = resolve(recs, decisions=decisions)
    assert not same_customer(res, ("shopify", "1"), ("mailchimp", "ada@lovelace.org"))
    assert same_customer(res, ("shopify", "2"), ("shopify", "3"))
    assert set(res.links["decision"]) >= {"same", "different"}
    rules = res.identity_map.set_index("source_record_id")["rule"]
    assert "decision:same" in {rules["2"], rules["3"]}


def test_different_holds_through_a_cluster():
    rows = [
        {"source_record_id": "a", "email": "x@x.com", "first_name": "Lee", "last_name": "Fox"},
        {
            "source_record_id": "b",
            "email": "x@x.com",
            "phone": "+447700900009",
            "first_name": "Lee",
            "last_name": "Fox",
        },
        {
            "source_record_id": "c",
            "phone": "+447700900009",
            "first_name": "Lee",
            "last_name": "Fox",
        },
    ]
    decisions = pd.DataFrame(
        [["shop", "a", "shop", "c", "different"]],
        columns=["source_a", "record_id_a", "source_b", "record_id_b", "decision"],
    )
    res = resolve(people(*rows), decisions=decisions)
    assert not same_customer(res, ("shop", "a"), ("shop", "c"))


def _review_case():
    # A household email shared with a blank-name signup: which spouse? That goes to review.
    return people(
        {"source_record_id": "1", "email": "fam@ex.com", "first_name": "Mary", "last_name": "Roe"},
        {"source_record_id": "2", "email": "fam@ex.com", "first_name": "John", "last_name": "Roe"},
        {"source": "mailchimp", "source_record_id": "m", "email": "fam@ex.com"},
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_review_export_and_apply_round_trip(tmp_path, suffix):
    recs = _review_case()
    res = resolve(recs)
    assert len(res.review) >= 1
    row = res.review.iloc[0]
    assert {
        "a_email",
        "b_email",
        "a_name",
        "b_name",
        "a_phone",
        "b_phone",
        "score",
        "evidence",
        "decision",
    } <= set(res.review.columns)
    path = export_review(res.review, tmp_path / f"review{suffix}")
    assert path.exists()
    edited = res.review.copy()
    edited["decision"] = ""
    edited.loc[0, "decision"] = "Same"
    if suffix == ".csv":
        edited.to_csv(path, index=False)
    else:
        export_review(edited, path)
    decisions = read_decisions(path)
    assert decisions.to_dict("records") == [
        {
            "source_a": row["source_a"],
            "record_id_a": row["record_id_a"],
            "source_b": row["source_b"],
            "record_id_b": row["record_id_b"],
            "decision": "same",
        }
    ]
    again = resolve(recs, decisions=decisions)
    assert same_customer(
        again, (row["source_a"], row["record_id_a"]), (row["source_b"], row["record_id_b"])
    )
    assert len(again.review) < len(res.review) or not len(again.review)


def test_unknown_decision_word_is_an_error_naming_the_row(tmp_path):
    res = resolve(_review_case())
    bad = res.review.copy()
    bad["decision"] = ""
    bad.loc[len(bad) - 1, "decision"] = "maybe"
    path = tmp_path / "r.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(EclpError, match=rf"row {len(bad) + 1}.*'maybe'"):
        read_decisions(path)


def test_xlsx_review_keeps_formula_like_text_as_text(tmp_path):
    import openpyxl

    recs = people(
        {
            "source_record_id": "1",
            "email": "fam@ex.com",
            "first_name": "=HYPERLINK(1)",
            "last_name": "Roe",
        },
        {"source_record_id": "2", "email": "fam@ex.com", "first_name": "John", "last_name": "Roe"},
        {"source": "mailchimp", "source_record_id": "m", "email": "fam@ex.com"},
    )
    res = resolve(recs)
    path = export_review(res.review, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    assert sheet.freeze_panes == "A2"
    assert sheet.data_validations.dataValidation[0].formula1 == '"same,different"'


def test_explain_lists_records_and_the_evidence_of_their_links():
    res = resolve(people(*BASE))
    cid = customer_of(res, "shopify", "1")
    story = explain_customer(cid, res)
    assert [r["source_record_id"] for r in story["records"]] == ["ada@lovelace.org", "1"]
    assert story["links"][0]["evidence"]["email"]["status"] == "agree"
    assert story["golden"]["first_name"] == "Ada"
    assert story["golden"]["first_name__from"] == "shopify:1"
