"""Explaining links: per-field evidence as JSON text and a short rule name ("email+name")."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.identity.prepare import Prepared
from eclp.identity.scoring import AGREE, FIELDS, FUZZY, MISSING, STATUS_NAMES

# The prepared value shown for each field (what was actually compared).
SHOWN = {
    "email": "email",
    "first_name": "first",
    "last_name": "last",
    "postcode": "postcode",
    "city": "city",
    "address1": "address1",
    "address2": "address2",
}
RAW = {
    "phone": "phone",
    "region": "region",
    "gender": "gender",
    "company": "company",
    "loyalty_id": "loyalty_id",
    "birth_date": "birth_date",
}
# Rule pieces in the order they are named.
RULE_PARTS = (
    ("email", ("email",)),
    ("phone", ("phone",)),
    ("loyalty_id", ("loyalty_id",)),
    ("name", ("first_name", "last_name")),
    ("dob", ("birth_date",)),
    ("address", ("address1",)),
    ("postcode", ("postcode",)),
)


def evidence_json(links: pd.DataFrame, prep: Prepared, records: pd.DataFrame) -> pd.Series:
    """JSON text per link: {field: {"status", "a", "b", "weight"}, "missing": [fields]}.

    Compared fields carry status (agree/fuzzy/disagree), both values and the weight; fields
    blank on either side are listed under "missing" (they weigh nothing).

    Built column-wise in Arrow (no Python loop over links); returned as an Arrow-backed string
    Series, compact for a million links.
    """
    a = pa.array(links["a"].to_numpy())
    b = pa.array(links["b"].to_numpy())
    body, absent = None, None
    for field in FIELDS:
        values = pa.array(_field_values(field, prep, records), type=pa.string())
        status = links[f"s_{field}"].to_numpy()
        st = pc.take(pa.array([f'"{s}"' for s in STATUS_NAMES]), pa.array(status.astype(np.int64)))
        weight = pc.cast(
            pc.round(pa.array(links[f"w_{field}"].to_numpy().astype(np.float64)), 2), pa.string()
        )
        full = pc.binary_join_element_wise(
            f', "{field}": {{"status": ',
            st,
            ', "a": ',
            pc.take(values, a),
            ', "b": ',
            pc.take(values, b),
            ', "weight": ',
            weight,
            "}",
            "",
        )
        missing = pa.array(status == MISSING)
        piece = pc.if_else(missing, pa.scalar(""), full)
        gap = pc.if_else(missing, pa.scalar(f', "{field}"'), pa.scalar(""))
        # Accumulate field by field so only one field's strings are alive besides the body.
        body = piece if body is None else pc.binary_join_element_wise(body, piece, "")
        absent = gap if absent is None else pc.binary_join_element_wise(absent, gap, "")
        del full, piece, gap
        pa.default_memory_pool().release_unused()  # hand freed buffers back: keeps peak RSS down
    # Fields blank on either side are listed once under "missing" (neutral evidence).
    text = pc.binary_join_element_wise(
        "{", body, ', "missing": [', pc.utf8_ltrim(absent, characters=", "), "]}", ""
    )
    text = pc.replace_substring(text, "{, ", "{", max_replacements=1)
    return pd.Series(text, dtype=pd.ArrowDtype(pa.string()), index=links.index)


def rule_names(links: pd.DataFrame) -> np.ndarray:
    """A short name for what a link rests on, e.g. "email+name", "phone+name", "name+dob"."""
    mask = np.zeros(len(links), dtype=np.int64)
    for bit, (_, fields) in enumerate(RULE_PARTS):
        ok = np.ones(len(links), dtype=bool)
        for field in fields:
            status = links[f"s_{field}"].to_numpy()
            ok &= (status == AGREE) | (status == FUZZY)
        mask |= ok.astype(np.int64) << bit
    # One name per distinct combination (at most 2^7), not per link.
    combos, inverse = np.unique(mask, return_inverse=True)
    names = np.array(
        [
            "+".join(n for bit, (n, _) in enumerate(RULE_PARTS) if c >> bit & 1) or "fuzzy"
            for c in combos
        ],
        dtype=object,
    )
    return names[inverse.ravel()]


def _field_values(field: str, prep: Prepared, records: pd.DataFrame) -> np.ndarray:
    """JSON literals of a field's compared value per record (json.dumps once per unique value)."""
    if field in SHOWN:
        values = prep.features[SHOWN[field]]
    elif field == "birth_date":
        values = pd.to_datetime(records["birth_date"], errors="coerce").dt.strftime("%Y-%m-%d")
    else:
        values = records[RAW[field]]
    values = pd.Series(values.to_numpy(dtype=object))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    literals = np.array([json.dumps(str(u)) for u in uniques] + ["null"], dtype=object)
    return literals[np.where(codes < 0, len(uniques), codes)]
