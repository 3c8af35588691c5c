"""Explaining links: per-field evidence as JSON text and a short rule name ("email+name")."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.identity.coded import arrow_strings
from eclp.identity.frames import values_of_codes
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


def value_tables(prep: Prepared, records: pd.DataFrame) -> dict:
    """What the evidence text needs of the records: per field, each record's value code and
    the JSON pieces of the distinct values (so the features can be freed before the text)."""
    return {field: _value_tables(field, prep, records) for field in FIELDS}


def evidence_json(links: pd.DataFrame, tables: dict) -> pd.Series:
    """JSON text per link: {field: {"status", "a", "b", "weight"}, "missing": [fields]}.

    Compared fields carry status (agree/fuzzy/disagree), both values and the weight; fields
    blank on either side are listed under "missing" (they weigh nothing).

    Every piece of the text is looked up in a small table of distinct pieces (per status, per
    value, per weight, per set of missing fields) and all pieces are joined in one Arrow call:
    no Python loop over links, no string work per link beyond that one join. Returned as an
    Arrow-backed string Series, compact for a million links. tables: from value_tables.
    """
    # Chunk by chunk, so only one chunk's pieces are alive besides the finished text.
    chunks = [
        _evidence_text(links.iloc[start : start + _CHUNK], tables)
        for start in range(0, len(links), _CHUNK)
    ]
    text = pa.chunked_array(chunks, type=pa.string())
    return pd.Series(pd.arrays.ArrowExtensionArray(text), index=links.index)


_CHUNK = 50_000  # links per chunk


def _evidence_text(links: pd.DataFrame, tables: dict) -> pa.Array:
    """The evidence text of a chunk of links."""
    a, b = links["a"].to_numpy(), links["b"].to_numpy()
    status = np.stack([links[f"s_{field}"].to_numpy().astype(np.int64) for field in FIELDS])
    present = status != MISSING
    # The first compared field opens the object without a leading comma.
    first = np.where(present.any(axis=0), present.argmax(axis=0), -1)
    pieces = [(pa.array(["{"]), np.zeros(len(links), dtype=np.int64))]
    for i, field in enumerate(FIELDS):
        pieces.extend(_field_pieces(field, status[i], first == i, links, a, b, tables[field]))
    pieces.append(_missing_pieces(present))
    return _join_rows(pieces, len(links))


def _join_rows(pieces: list[tuple[pa.Array, np.ndarray]], rows: int) -> pa.Array:
    """Row i: the concatenation of table[index[i]] over the (table, index) pieces.

    One take from all tables at once, in row-major order, lays the rows' text out one after
    the other; the rows' offsets are offsets of that take at each row's first piece (no copy
    of the text). Empty pieces (a missing field's four, often half of all) are left out of
    the take: its cost is per piece.
    """
    tables = pa.concat_arrays([table.cast(pa.string()) for table, _ in pieces])
    base = np.cumsum([0] + [len(table) for table, _ in pieces[:-1]])
    index = np.empty((rows, len(pieces)), dtype=np.int64)
    for k, (_, idx) in enumerate(pieces):
        index[:, k] = idx + base[k]
    nonempty = (pc.binary_length(tables).to_numpy(zero_copy_only=False) > 0)[index]
    flat = pc.take(tables, pa.array(index[nonempty]))  # row-major: each row's pieces in turn
    del index
    assert flat.offset == 0 and flat.null_count == 0
    offsets = np.frombuffer(flat.buffers()[1], dtype=np.int32, count=len(flat) + 1)
    firsts = np.concatenate([[0], np.cumsum(nonempty.sum(axis=1))])
    row_offsets = pa.py_buffer(np.ascontiguousarray(offsets[firsts]))
    return pa.StringArray.from_buffers(rows, row_offsets, flat.buffers()[2])


def _value_tables(field: str, prep: Prepared, records: pd.DataFrame):
    """Codes of the field's value per record (-1 blank) and the tables they index: the value
    as '"a"' piece and as ', "b"' piece, each followed by the blank value and ''."""
    codes, literals = _field_values(field, prep, records)
    value_a = pa.concat_arrays([literals, pa.array(["null", ""], type=pa.string())])
    value_b = pc.binary_join_element_wise(', "b": ', literals, "")
    value_b = pa.concat_arrays([value_b, pa.array([', "b": null', ""], type=pa.string())])
    return codes, value_a, value_b


def _field_pieces(field, status, opens, links, a, b, tables) -> list[tuple]:
    """One field's text per link as four (table, index) pieces ('' each when the field is
    missing): head with status, value a, value b, weight."""
    missing = status == MISSING
    heads = [
        ("" if s == MISSING else f'"{field}": {{"status": "{STATUS_NAMES[s]}", "a": ')
        for s in range(len(STATUS_NAMES))
    ]
    head = pa.array([", " + h if h else h for h in heads] + heads, type=pa.string())
    codes, value_a, value_b = tables
    blank = len(value_a) - 2  # codes index the values; `blank` → null, `blank + 1` → ""
    weights, inverse = _distinct_bits(links[f"w_{field}"].to_numpy())
    shown = pc.cast(pc.round(pa.array(weights.astype(np.float64)), 2), pa.string())
    shown = pc.binary_join_element_wise(', "weight": ', shown, "}", "")
    shown = pa.concat_arrays([shown, pa.array([""], type=pa.string())])

    def pick(table, index):
        return table, np.where(missing, len(table) - 1, index)

    code_a = np.where(codes[a] < 0, blank, codes[a])
    code_b = np.where(codes[b] < 0, blank, codes[b])
    return [
        (head, status + np.where(opens, len(STATUS_NAMES), 0)),
        pick(value_a, code_a),
        pick(value_b, code_b),
        pick(shown, inverse),
    ]


def _distinct_bits(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values by bit pattern (so -0.0 and 0.0 stay apart) and the index of each."""
    bits = values.view(np.dtype(f"u{values.dtype.itemsize}"))
    inverse, uniq = pd.factorize(bits)  # hashing: any order of the table will do
    return np.asarray(uniq).astype(bits.dtype).view(values.dtype), inverse.astype(np.int64)


def _missing_pieces(present: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """The closing '"missing": [fields]}' per link, built once per set of missing fields."""
    bits = (~present).astype(np.int64) << np.arange(len(FIELDS), dtype=np.int64)[:, None]
    combos, inverse = np.unique(bits.sum(axis=0), return_inverse=True)
    texts = []
    for combo in combos.tolist():
        names = ", ".join(f'"{f}"' for i, f in enumerate(FIELDS) if combo >> i & 1)
        lead = "" if combo == (1 << len(FIELDS)) - 1 else ", "
        texts.append(f'{lead}"missing": [{names}]}}')
    return pa.array(texts, type=pa.string()), inverse.ravel()


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


def _field_values(field: str, prep: Prepared, records: pd.DataFrame) -> tuple[np.ndarray, pa.Array]:
    """A field's compared value per record as codes (-1 blank) into JSON literals of its
    distinct values (each literal computed once per distinct value)."""
    if field in SHOWN:
        # The prepared value's codes already number its distinct values.
        codes = prep.features[f"{SHOWN[field]}_code"].to_numpy().astype(np.int64)
        values = prep.features[SHOWN[field]].to_numpy(dtype=object)
        return codes, _json_literals(values_of_codes(codes, values))
    elif field == "birth_date":
        col = records["birth_date"]
        if pd.api.types.is_datetime64_any_dtype(col):
            # Dates already parsed: format each distinct date once, not every record's.
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            text = pd.Series(uniques).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
            return codes.astype(np.int64), _json_literals(text)
        values = pd.to_datetime(col, errors="coerce").dt.strftime("%Y-%m-%d")
    else:
        values = records[RAW[field]]
    values = pd.Series(values.to_numpy(dtype=object))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), _json_literals(uniques)


# Characters json.dumps writes as themselves: printable ASCII except the quote and backslash.
_JSON_UNSAFE = r"[^ !#-\[\]-~]"


def _json_literals(uniques) -> pa.Array:
    """json.dumps(str(u)) of each value: plain printable ASCII is just quoted (in Arrow); only
    the rest goes through json.dumps."""
    text = arrow_strings(np.asarray(uniques, dtype=object))  # str values as they are
    if text is None or text.null_count:
        text = pa.array([str(u) for u in uniques], type=pa.string())
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    unsafe = pc.match_substring_regex(text, _JSON_UNSAFE)
    rows = np.flatnonzero(unsafe.to_numpy(zero_copy_only=False))
    if not len(rows):
        return quoted
    fixed = pa.array([json.dumps(text[i].as_py()) for i in rows.tolist()], type=pa.string())
    return pc.replace_with_mask(quoted, unsafe, fixed)
