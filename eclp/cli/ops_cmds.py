"""Unattended and privacy commands: run, send, forget, export-subject."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eclp.cli.app import app, out, print_json, reports_errors, state
from eclp.errors import EXIT_OK

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing on success (for cron).")
]


@app.command()
@reports_errors
def run(
    no_send: Annotated[bool, typer.Option("--no-send", help="Build but do not email.")] = False,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """For cron: ingest everything in inbox/, build, and send if email is configured."""
    from eclp.delivery.run import run as run_job

    ws = state.workspace_obj()
    config = state.config(ws)
    result = run_job(ws, config=config, send=not no_send)
    if json_:
        print_json(result.as_dict() if hasattr(result, "as_dict") else result.__dict__)
    elif not quiet or result.exit_code != EXIT_OK:
        out.print(result.describe() if hasattr(result, "describe") else str(result), markup=False)
    raise typer.Exit(result.exit_code)


@app.command()
@reports_errors
def send(
    path: Annotated[
        Path | None, typer.Argument(help="Workbook to send (default: the latest in out/).")
    ] = None,
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Recipient (repeatable); default: email.to.")
    ] = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Email the latest (or given) workbook over SMTP."""
    from eclp.publish import send_latest

    ws = state.workspace_obj()
    config = state.config(ws)
    result = send_latest(ws, config=config, path=path, to=to)
    if json_:
        print_json(result.as_dict())
    elif not quiet:
        out.print(result.describe() if hasattr(result, "describe") else str(result), markup=False)


@app.command()
@reports_errors
def forget(
    query: Annotated[str, typer.Argument(help="Email, phone, name or customer id of the person.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Erase one person from the store and keep them out of later ingests (right to erasure)."""
    from eclp.delivery.lock import workspace_lock
    from eclp.delivery.privacy import find_subject
    from eclp.delivery.privacy import forget as forget_subject
    from eclp.store import Store

    ws = state.workspace_obj()
    with workspace_lock(ws, command="forget"), Store.open(ws.store_path) as store:
        match = find_subject(store, query)
        if not yes:
            summary = match.describe() if hasattr(match, "describe") else str(match)
            if not typer.confirm(f"Erase {summary}?", err=True):
                raise typer.Abort()
        report = forget_subject(store, query)
    if json_:
        print_json(report.as_dict() if hasattr(report, "as_dict") else report.__dict__)
    else:
        out.print(report.describe() if hasattr(report, "describe") else str(report), markup=False)


@app.command("export-subject")
@reports_errors
def export_subject(
    query: Annotated[str, typer.Argument(help="Email, phone, name or customer id of the person.")],
    out_path: Annotated[
        Path, typer.Option("--out", help="Output path (a .json and an .xlsx are written).")
    ],
) -> None:
    """Everything held about one person (access request), as JSON and xlsx."""
    from eclp.delivery.privacy import export_subject as export
    from eclp.store import Store

    ws = state.workspace_obj()
    with Store.open(ws.store_path, read_only=True) as store:
        paths = export(store, query, out_path)
    for p in paths:
        out.print(f"Wrote {p}", markup=False)
