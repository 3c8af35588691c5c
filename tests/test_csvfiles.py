"""CSV outputs keep formula-like text inert for Excel, and the review file reads back exact."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from eclp.csvfiles import inert, restore, write_csv
from eclp.identity import export_review, read_decisions, resolve

from .identity.conftest import people


def test_formula_like_text_is_quoted_and_numbers_are_not():
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "@SUM(A1)", "-cmd|' /C calc'!A0", "Ann", None],
            "phone": ["+44 7700 900123", "+447700900123", "-12.50", "(0161) 496 0000", None],
            "mixed": ["+1+1", 3, 2.5, "\tx", None],
            "spend": [1.0, -2.0, 3.0, 4.0, 5.0],
        }
    )
    out = inert(frame)
    assert out["name"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'-cmd|' /C calc'!A0",
        "Ann",
        None,
    ]
    assert out["phone"].tolist() == frame["phone"].tolist()
    assert out["mixed"].tolist() == ["'+1+1", 3, 2.5, "'\tx", None]
    assert out["spend"].tolist() == frame["spend"].tolist()
    assert frame.loc[0, "name"] == '=HYPERLINK("http://x")'  # the input is not changed


@given(st.text(max_size=12))
def test_restore_gives_back_what_inert_quoted(value):
    written = inert(pd.DataFrame({"v": [value]}))["v"].iloc[0]
    assert restore(written) == value


def test_a_csv_review_file_applies_decisions_on_formula_like_record_ids(tmp_path):
    recs = people(
        {
            "source_record_id": "=1+1",
            "email": "fam@ex.com",
            "first_name": "Mary",
            "last_name": "Roe",
        },
        {"source_record_id": "2", "email": "fam@ex.com", "first_name": "John", "last_name": "Roe"},
        {"source": "mailchimp", "source_record_id": "@m", "email": "fam@ex.com"},
    )
    res = resolve(recs)
    path = export_review(res.review, tmp_path / "review.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    ids = set(raw["record_id_a"]) | set(raw["record_id_b"])
    assert ids & {"'=1+1", "'@m"} and not ids & {"=1+1", "@m"}
    raw["decision"] = "different"
    write_csv(raw.map(restore), path)  # what the analyst's Excel saves: still quoted
    decisions = read_decisions(path)
    assert set(decisions["record_id_a"]) | set(decisions["record_id_b"]) <= {"=1+1", "2", "@m"}
    assert len(decisions) == len(res.review)
