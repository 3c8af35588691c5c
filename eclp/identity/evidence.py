"""Explaining links: per-field evidence as JSON text and a short rule name ("email+name")."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

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


def evidence_json(links: pd.DataFrame, prep: Prepared, records: pd.DataFrame) -> np.ndarray:
    """JSON text per link: {field: {"status", "a", "b", "weight"}}; missing fields carry status only."""
    a, b = links["a"].to_numpy(), links["b"].to_numpy()
    out = np.full(len(links), "{", dtype=object)
    for i, field in enumerate(FIELDS):
        values = _field_values(field, prep, records)
        status = links[f"s_{field}"].to_numpy()
        weight = links[f"w_{field}"].to_numpy()
        sep = "" if i == 0 else ", "
        head = f'{sep}"{field}": {{"status": '
        piece = np.full(len(links), head + '"missing"}', dtype=object)
        present = np.flatnonzero(status != MISSING)
        if len(present):
            st = np.array([f'"{s}"' for s in STATUS_NAMES], dtype=object)[status[present]]
            wtxt = np.char.mod("%.2f", weight[present].astype(np.float64)).astype(object)
            piece[present] = (
                head
                + st
                + ', "a": '
                + values[a[present]]
                + ', "b": '
                + values[b[present]]
                + ', "weight": '
                + wtxt
                + "}"
            )
        out = out + piece
    return out + "}"


def rule_names(links: pd.DataFrame) -> np.ndarray:
    """A short name for what a link rests on, e.g. "email+name", "phone+name", "name+dob"."""
    out = np.full(len(links), "", dtype=object)
    for name, fields in RULE_PARTS:
        ok = np.ones(len(links), dtype=bool)
        for field in fields:
            ok &= np.isin(links[f"s_{field}"].to_numpy(), (AGREE, FUZZY))
        add = np.where(out == "", name, "+" + name).astype(object)
        out = np.where(ok, out + add, out)
    return np.where(out == "", "fuzzy", out).astype(object)


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
