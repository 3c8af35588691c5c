"""The review loop: uncertain links side by side, exported for an analyst, decisions read back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from eclp.csvfiles import restore, write_csv
from eclp.errors import EclpError

DECISIONS = ("same", "different")
SIDE_FIELDS = ("email", "phone", "name", "postcode", "city", "address1", "birth_date", "loyalty_id")
DECISION_COLUMNS = ["source_a", "record_id_a", "source_b", "record_id_b", "decision"]


def review_frame(links: pd.DataFrame, recs, customer_id: np.ndarray) -> pd.DataFrame:
    """Review rows: both records' key fields side by side, score, evidence and a blank decision.

    recs: the records in resolution order (identity.frames.Ordered: only the review rows'
    values are taken). Rows come by score descending, then source_a and record_id_a.
    """
    source = recs["source"].to_numpy(dtype=object)
    record_id = recs["source_record_id"].to_numpy(dtype=object)
    a, b = links["a"].to_numpy(), links["b"].to_numpy()
    score = np.round(links["p"].to_numpy(), 4)
    order = _review_order(score, a, source, record_id)
    a, b, score = a[order], b[order], score[order]
    cols: dict[str, object] = {
        "source_a": source[a],
        "record_id_a": record_id[a],
        "source_b": source[b],
        "record_id_b": record_id[b],
        "customer_a": customer_id[a],
        "customer_b": customer_id[b],
        "score": score,
    }
    # Values of the review rows only (a small share of all records).
    for field in SIDE_FIELDS:
        for side, idx in (("a", a), ("b", b)):
            if field == "name":
                cols[f"{side}_{field}"] = _display_name(recs, idx)
            else:
                cols[f"{side}_{field}"] = _text(recs.rows(field, idx)) if field in recs else None
    # As it comes (Arrow-backed text): Python strings of every review row's evidence would be
    # resolve's largest output after the links themselves (~80 MB at 700k records).
    cols["evidence"] = links["evidence"].iloc[order].reset_index(drop=True)
    cols["decision"] = ""
    return pd.DataFrame(cols, copy=False)  # one block per column: no consolidation copy


def _review_order(score, a, source, record_id) -> np.ndarray:
    """The stable order of rows by score descending, then (source, record_id) of record a.

    The records are in (source, source_record_id) order already, so record positions order
    the keys: no sort of text, only a rank per distinct key (records sharing a key tie).
    """
    recs = np.unique(a)
    key_source, key_id = source[recs], record_id[recs]
    new_key = ~(_same(key_source[1:], key_source[:-1]) & _same(key_id[1:], key_id[:-1]))
    rank = np.concatenate([[0], np.cumsum(new_key)])
    return np.lexsort((rank[np.searchsorted(recs, a)], -score))


def _same(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise equality of object arrays where blanks (None, NaN) equal each other, as
    they tie when sorted."""
    return (x == y) | (pd.isna(x) & pd.isna(y))


def export_review(review: pd.DataFrame, path: Path) -> Path:
    """Write the review queue to .xlsx (default) or .csv by suffix; returns the path written."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        write_csv(review, path)
        return path
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    _write_xlsx(review, path)
    return path


def read_decisions(path: Path) -> pd.DataFrame:
    """Decisions an analyst filled in: source_a, record_id_a, source_b, record_id_b, decision.

    Blank decisions are skipped; any other word than same/different is an EclpError naming
    the row.
    """
    path = Path(path)
    if not path.exists():
        raise EclpError(f"{path}: review file not found")
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        # Ids that looked like formulas were written quoted (eclp.csvfiles).
        for column in DECISION_COLUMNS[:4]:
            if column in frame:
                frame[column] = frame[column].map(restore)
        first_row = 2
    else:
        frame = pd.read_excel(path, dtype=str, engine="calamine").fillna("")
        first_row = 2
    missing = [c for c in DECISION_COLUMNS if c not in frame.columns]
    if missing:
        raise EclpError(f"{path}: not a review file, missing columns {', '.join(missing)}")
    words = frame["decision"].astype(str).str.strip().str.lower()
    bad = ~words.isin(("", "nan", *DECISIONS))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + first_row
        value = frame["decision"].iloc[row - first_row]
        raise EclpError(f"{path}: row {row}: decision {value!r} is not 'same' or 'different'")
    chosen = frame[words.isin(DECISIONS)].copy()
    chosen["decision"] = words[words.isin(DECISIONS)]
    return chosen[DECISION_COLUMNS].reset_index(drop=True)


def _write_xlsx(review: pd.DataFrame, path: Path) -> None:
    """An Excel table with a validated decision column, frozen header, text kept as text."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    sheet = workbook.add_worksheet("Review")
    columns = list(review.columns)
    rows = max(len(review), 1)
    data = review.astype(object).where(review.notna(), None).to_numpy().tolist()
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, float | int | np.floating | np.integer) and not isinstance(
                value, bool
            ):
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, str(value))
    sheet.add_table(
        0,
        0,
        rows,
        len(columns) - 1,
        {"columns": [{"header": h} for h in columns], "style": "Table Style Light 9"},
    )
    decision_col = columns.index("decision")
    sheet.data_validation(
        1, decision_col, rows, decision_col, {"validate": "list", "source": list(DECISIONS)}
    )
    sheet.freeze_panes(1, 0)
    for c, header in enumerate(columns):
        width = (
            60
            if header == "evidence"
            else min(max(len(header), *(len(str(v)) for v in review[header].head(200)), 8) + 2, 40)
            if len(review)
            else len(header) + 2
        )
        sheet.set_column(c, c, width)
    workbook.close()


def _display_name(recs, rows: np.ndarray) -> np.ndarray:
    """full_name, else first + last, of the records at positions rows."""
    full = _text(recs.rows("full_name", rows))
    blank = np.flatnonzero(pd.isna(full))  # first + last only where full_name is blank
    first, last = recs.rows("first_name", rows[blank]), recs.rows("last_name", rows[blank])
    parts = (first.fillna("").astype(str) + " " + last.fillna("").astype(str)).str.strip()
    full[blank] = parts.where(parts != "", None).to_numpy(dtype=object)
    return full


def _text(col: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    return col.astype(object).where(col.notna(), None).to_numpy(dtype=object)
