"""Pairwise precision / recall / F1 of predicted clusters against true ones, by combinatorics."""

from __future__ import annotations

import numpy as np
import pandas as pd


def pairs_within(labels: pd.Series | np.ndarray) -> int:
    """Number of record pairs sharing a label: sum of C(size, 2), never enumerating pairs."""
    sizes = pd.Series(np.asarray(labels)).value_counts().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_scores(predicted, truth) -> dict[str, float]:
    """Precision, recall and F1 over record pairs; predicted and truth are aligned label arrays."""
    pred = pd.Series(np.asarray(predicted)).astype(str)
    true = pd.Series(np.asarray(truth)).astype(str)
    tp = pairs_within(pred + "\x1f" + true)
    pp, tt = pairs_within(pred), pairs_within(true)
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": tt,
        "predicted_pairs": pp,
    }
