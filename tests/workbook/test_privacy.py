"""Masking emails and phones for `privacy.mask_pii`."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclp.workbook.privacy import mask_email, mask_frame, mask_phone, mask_value


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("john@gmail.com", "j***@gmail.com"),
        ("a.b+c@shop.co.uk", "a***@shop.co.uk"),
        (None, None),
        ("", ""),
    ],
)
def test_mask_email(raw, masked):
    assert mask_email(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"), [("+447700900123", "+44*******123"), ("+1 415 555 0123", "+1*******123")]
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


@given(st.emails())
def test_masked_email_never_contains_the_local_part_beyond_its_first_letter(email):
    local = email.rpartition("@")[0]
    masked = mask_email(email)
    assert masked.endswith("@" + email.rpartition("@")[2])
    if len(local) > 3:
        assert local not in masked


def test_mask_frame_masks_prefixed_columns_too():
    frame = pd.DataFrame({"a_email": ["x@y.com"], "b_phone": ["+12025550123"], "name": ["X"]})
    assert mask_frame(frame).iloc[0].tolist() == ["x***@y.com", "+1*******123", "X"]


def test_mask_value_masks_what_looks_like_an_email_or_phone():
    values = ("bob@@mail", "07700 900123", "bad date", 12)
    assert [mask_value(v) for v in values] == ["b***@mail", "********123", "bad date", 12]
