"""Vectorised string work with pyarrow compute (RE2 regexes in C++, no Python loop per value)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def strings(values: Iterable[Any] | pd.Series | np.ndarray | pa.Array) -> pa.Array:
    """A pyarrow string array (None -> null); values must be str or None."""
    if isinstance(values, pa.Array):
        return values
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)


def to_objects(arr: pa.Array) -> np.ndarray:
    """Object ndarray of str with None for nulls."""
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """Bool ndarray: where the RE2 pattern matches (anchor it yourself); null -> False."""
    return _bools(pc.match_substring_regex(arr, pattern))


def contains(arr: pa.Array, literal: str) -> np.ndarray:
    """Bool ndarray: where the literal text occurs; null -> False."""
    return _bools(pc.match_substring(arr, literal))


def replace(arr: pa.Array, pattern: str, replacement: str) -> pa.Array:
    """Every RE2 match replaced (\\1 refers to groups)."""
    return pc.replace_substring_regex(arr, pattern, replacement)


def extract(arr: pa.Array, pattern: str) -> dict[str, np.ndarray]:
    """Named groups per value as object ndarrays; None where the value or the group did not match."""
    struct = pc.extract_regex(arr, pattern)
    matched = _bools(pc.is_valid(struct))
    out = {}
    for i in range(struct.type.num_fields):
        name = struct.type.field(i).name
        values = to_objects(pc.struct_field(struct, [i]))
        values[~matched] = None
        values[values == ""] = None
        out[name] = values
    return out


def _bools(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)
