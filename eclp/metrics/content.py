"""Website content engagement (GA4 pages): which pages engage people most."""

from __future__ import annotations

import numpy as np
import pandas as pd

CONTENT_TABLE_COLUMNS = (
    "page", "title", "views", "users", "engaged_seconds_total", "avg_engagement_seconds",
    "views_per_user", "conversions", "conversion_rate",
)  # fmt: skip


def content_table(content: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per page: views, users, engagement time, key events; most engaged time first.

    `engaged_seconds` is taken as GA4 reports it, the average engagement time per user, so
    periods are combined weighted by users.
    """
    if content.empty:
        return pd.DataFrame(columns=list(CONTENT_TABLE_COLUMNS))
    start = pd.to_datetime(content["period_start"], errors="coerce")
    # Channel-level rows (GA4 traffic acquisition) have no page: they are not page content.
    kept = content[~start.gt(as_of).fillna(False) & content["page"].notna()]
    nums = {
        c: pd.to_numeric(kept[c], errors="coerce").fillna(0.0)
        for c in ("views", "users", "conversions")
    }
    engaged = pd.to_numeric(kept["engaged_seconds"], errors="coerce").fillna(0.0) * nums["users"]
    frame = pd.DataFrame({"page": kept["page"].fillna("(not set)").astype(str), "title": kept["title"],
                          **nums, "engaged_seconds_total": engaged})  # fmt: skip
    grouped = frame.groupby("page")
    table = grouped[["views", "users", "conversions", "engaged_seconds_total"]].sum()
    table["title"] = grouped["title"].first()
    users = table["users"].replace(0, np.nan)
    table["avg_engagement_seconds"] = table["engaged_seconds_total"] / users
    table["views_per_user"] = table["views"] / users
    table["conversion_rate"] = table["conversions"] / table["views"].replace(0, np.nan)
    table = table.reset_index().sort_values(
        ["engaged_seconds_total", "views", "page"], ascending=[False, False, True], kind="stable"
    )
    return table[list(CONTENT_TABLE_COLUMNS)].reset_index(drop=True)
