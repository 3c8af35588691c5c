"""Commands that set up a workspace and bring data in: init, ingest, profiles, map, status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eclp.cli.app import app, err, out, print_json, reports_errors, state
from eclp.errors import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")]


@app.command()
@reports_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace.")] = Path("."),
) -> None:
    """Create a workspace: a commented eclp.yaml, inbox/, archive/, out/ and the store."""
    from eclp.config_template import CONFIG_TEMPLATE
    from eclp.workspace import init_workspace

    ws = init_workspace(directory, CONFIG_TEMPLATE)
    out.print(f"Created workspace {ws.root}", markup=False)
    out.print(
        "Drop exports into inbox/ and run `eclp run`, or `eclp ingest FILE...`.", markup=False
    )


def ingest_exit_code(reports) -> int:
    if any(r.error for r in reports):
        return EXIT_FAILED if all(r.error for r in reports) else EXIT_PARTIAL
    return EXIT_PARTIAL if any(r.rejected for r in reports) else EXIT_OK


@app.command()
@reports_errors
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Export files (CSV, TSV, XLSX, XLS, ZIP).")],
    source: Annotated[
        str | None, typer.Option(help="Source name (a `sources:` entry, or a new name).")
    ] = None,
    profile: Annotated[
        str | None, typer.Option(help="Built-in profile to use instead of detection.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and validate; store nothing.")
    ] = False,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Read exports, detect or apply their profile, validate, normalise and store them."""
    from eclp.delivery.lock import workspace_lock
    from eclp.ingest import ingest_files

    ws = state.workspace_obj()
    config = state.config(ws)
    ws.ensure_dirs()
    with workspace_lock(ws, command="ingest"), _progress(len(files), quiet or json_) as advance:
        reports = ingest_files(
            ws,
            files,
            config=config,
            source=source,
            profile=profile,
            dry_run=dry_run,
            progress=advance,
        )
    if json_:
        print_json([r.as_dict() for r in reports])
    elif not quiet:
        _ingest_table(reports, dry_run)
    for r in reports:
        if r.error and not json_:
            err.print(f"eclp: {r.error}", markup=False)
    raise typer.Exit(ingest_exit_code(reports))


class _progress:
    """A rich progress bar over files, only when stdout is a terminal."""

    def __init__(self, total: int, silent: bool) -> None:
        self.enabled = out.is_terminal and not silent
        self.total = total
        self.bar: Progress | None = None

    def __enter__(self):
        if not self.enabled:
            return None
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=out,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("ingesting", total=self.total)
        started = [False]

        def advance(name: str) -> None:
            if started[0]:
                self.bar.advance(task)
            started[0] = True
            self.bar.update(task, description=f"ingesting {Path(name).name}")

        return advance

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _ingest_table(reports, dry_run: bool) -> None:
    table = Table(title="eclp ingest" + (" (dry run: nothing stored)" if dry_run else ""))
    from eclp.ingest import COUNT_FIELDS, REPORT_FIELDS

    for col in REPORT_FIELDS[:-1]:  # errors are printed below the table, one line each
        table.add_column(col, justify="right" if col in COUNT_FIELDS else "left")
    for r in reports:
        status = "duplicate file" if r.skipped else ("refused" if r.error else "")
        table.add_row(
            r.file,
            r.source or "",
            r.profile or "",
            str(r.rows),
            str(r.accepted),
            str(r.rejected),
            str(r.blanked),
            str(r.new),
            str(r.updated),
            status,
        )
    out.print(table)
    for r in reports:
        if r.rejects_file:
            out.print(f"{r.rejected} rejected row(s) of {r.file}: {r.rejects_file}", markup=False)


@app.command()
@reports_errors
def profiles(json_: JsonOpt = False) -> None:
    """List the built-in source profiles and the headers they recognise."""
    from eclp.sources.profiles import load_builtin_profiles

    items = sorted(load_builtin_profiles().values(), key=lambda p: p.name)
    if json_:
        print_json(
            [
                {
                    "name": p.name,
                    "platform": p.platform,
                    "kind": p.kind,
                    "description": p.description,
                    "headers": list(p.signature),
                }
                for p in items
            ]
        )
        return
    table = Table(title="Built-in profiles")
    for col in ("profile", "kind", "platform", "keys on headers"):
        table.add_column(col)
    for p in items:
        table.add_row(p.name, p.kind, p.platform, ", ".join(p.signature))
    out.print(table)


@app.command("map")
@reports_errors
def map_(
    file: Annotated[Path, typer.Argument(help="An export eclp does not recognise.")],
    name: Annotated[str | None, typer.Option(help="Source name for the scaffold.")] = None,
) -> None:
    """Print an eclp.yaml `sources:` scaffold for an export, guessing canonical fields."""
    from eclp.sources.scaffold import mapping_scaffold

    out.print(mapping_scaffold(file, name=name), markup=False, end="")


@app.command()
@reports_errors
def status(json_: JsonOpt = False) -> None:
    """What is in the store: sources, files, record counts, last build and runs."""
    from eclp.status import workspace_status

    ws = state.workspace_obj()
    info = workspace_status(ws)
    if json_:
        print_json(info)
        return
    out.print(f"Workspace {info['workspace']}", markup=False)
    counts = Table(title="Store")
    counts.add_column("table")
    counts.add_column("rows", justify="right")
    for name, n in info["tables"].items():
        counts.add_row(name, f"{n:,}")
    out.print(counts)
    if info["sources"]:
        src = Table(title="Sources")
        for col in ("source", "profile", "files", "rows", "accepted", "rejected", "last ingest"):
            src.add_column(col)
        for s in info["sources"]:
            src.add_row(
                s["source"],
                s["profile"] or "",
                str(s["files"]),
                str(s["rows"]),
                str(s["accepted"]),
                str(s["rejected"]),
                str(s["last_ingest"]),
            )
        out.print(src)
    last = info.get("last_build")
    out.print(
        f"Last build: {last['finished_at']} ({last['customers']} customers, {last['workbook']})"
        if last
        else "Last build: none",
        markup=False,
    )
    for run in info.get("runs", []):
        out.print(
            f"run {run.get('started')} → exit {run.get('exit_code')} ({run.get('outcome', '')})",
            markup=False,
        )
