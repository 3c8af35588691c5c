"""Commands over resolved customers: build, review, show."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from eclp.cli.app import app, out, print_json, reports_errors, state
from eclp.errors import ConfigError

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ConfigError(f"--as-of {text!r} is not a date like 2026-11-23") from None


@app.command()
@reports_errors
def build(
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="Workbook path (default: out/customer-dashboard-DATE.xlsx)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Measure as of this date (YYYY-MM-DD); later data is ignored."
        ),
    ] = None,
    json_: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Resolve identities, compute metrics, write the dashboard workbook and identity_map.csv."""
    from eclp.build import build as run_build
    from eclp.delivery.lock import workspace_lock

    ws = state.workspace_obj()
    config = state.config(ws)
    with workspace_lock(ws, command="build"):
        result = run_build(ws, config=config, out=out_path, as_of=parse_date(as_of))
    if json_:
        print_json(result.summary)
    elif not quiet:
        s = result.summary
        out.print(
            f"{s['customers']:,} customers from {s['records']:,} records; "
            f"{s['orders']:,} orders, net revenue {s['revenue']:,.2f}",
            markup=False,
        )
        out.print(f"Workbook: {result.workbook}", markup=False)
        out.print(f"Identity map: {result.identity_map}", markup=False)
        if s.get("review"):
            out.print(f"{s['review']} uncertain match(es) wait for `eclp review`.", markup=False)


@app.command()
@reports_errors
def review(
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Write the queue to PATH (.xlsx or .csv) to decide in Excel."
        ),
    ] = None,
    apply: Annotated[
        Path | None, typer.Option("--apply", help="Store the same/different decisions from PATH.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """List uncertain matches, export them for a decision, or apply decisions."""
    from eclp.review import apply_decisions, export_queue, review_queue

    if export and apply:
        raise ConfigError("use either --export or --apply, not both")
    ws = state.workspace_obj()
    if apply:
        from eclp.delivery.lock import workspace_lock

        with workspace_lock(ws, command="review"):
            n = apply_decisions(ws, apply)
        out.print(f"Stored {n} decision(s); the next `eclp build` respects them.", markup=False)
        return
    if export:
        path, n = export_queue(ws, export)
        out.print(
            f"Wrote {n} uncertain match(es) to {path}: fill the decision column with "
            f"same or different, then `eclp review --apply {path}`.",
            markup=False,
        )
        return
    queue = review_queue(ws)
    if json_:
        print_json(queue.to_dict(orient="records"))
        return
    if queue.empty:
        out.print("No uncertain matches waiting for review.", markup=False)
        return
    table = Table(title=f"{len(queue)} uncertain match(es)")
    cols = [
        c
        for c in (
            "score",
            "a_name",
            "b_name",
            "a_email",
            "b_email",
            "a_phone",
            "b_phone",
            "a_source",
            "b_source",
        )
        if c in queue.columns
    ]
    for c in cols:
        table.add_column(c)
    for _, row in queue.head(50).iterrows():
        table.add_row(*[_cell(row[c]) for c in cols])
    out.print(table)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


@app.command()
@reports_errors
def show(
    query: Annotated[str, typer.Argument(help="Email, phone, name or customer id.")],
    json_: JsonOpt = False,
) -> None:
    """A customer's story: every linked record, orders, tickets, email status, segment, CLV."""
    from eclp.show import customer_story

    ws = state.workspace_obj()
    story = customer_story(ws, query)
    if json_:
        print_json(story)
        return
    from eclp.cli.render import render_story

    render_story(out, story)
