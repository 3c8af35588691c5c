"""Name helpers: the vectorised Soundex gives exactly what the per-name one gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from eclp.identity.names import soundex, soundex_all

names = st.lists(st.text(alphabet="abcdhwyeiouflmnrst", max_size=12), max_size=40)


@given(names)
def test_soundex_all_matches_soundex_on_plain_names(values):
    expected = [soundex(v) or None for v in values]
    assert soundex_all(np.array(values, dtype=object)).tolist() == expected


@given(st.lists(st.text(alphabet="ab hé\x00-", max_size=6), max_size=20))
def test_soundex_all_falls_back_for_other_text(values):
    expected = [soundex(v) or None for v in values]
    assert soundex_all(np.array(values, dtype=object)).tolist() == expected


def test_soundex_all_known_codes():
    values = np.array(
        ["robert", "rupert", "ashcraft", "tymczak", "pfister", "honeyman"], dtype=object
    )
    assert soundex_all(values).tolist() == ["r163", "r163", "a261", "t522", "p236", "h555"]
