"""The typer app, global options, and the one place errors become exit codes and messages."""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from eclp.config import Config, load_config
from eclp.errors import EXIT_FAILED, EclpError
from eclp.workspace import Workspace, find_workspace

app = typer.Typer(
    name="eclp",
    help="One truthful picture of a shop's customers, from the exports it already has.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # tracebacks hold customers' data in locals: never show them
    rich_markup_mode=None,
)
# Piped or captured output has no terminal width: keep tables whole rather than 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class State:
    workspace: Path | None = None
    debug: bool = False

    def workspace_obj(self) -> Workspace:
        return find_workspace(self.workspace)

    def config(self, ws: Workspace) -> Config:
        return load_config(ws.config_path)


state = State()


@app.callback()
def _global(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder (default: $ECLP_WORKSPACE, "
            "else the nearest folder upwards holding eclp.yaml).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """eclp: ingest exports, resolve customers, build and send the dashboard."""
    state.workspace = workspace
    state.debug = debug


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except EclpError as exc:
            if state.debug:
                traceback.print_exc()
            err.print(f"eclp: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("eclp: interrupted", markup=False)
            raise typer.Exit(130) from None
        except Exception as exc:
            if state.debug:
                traceback.print_exc()
            err.print(
                f"eclp: internal error: {type(exc).__name__}: {str(exc)[:300]} "
                "(run with --debug for details)",
                markup=False,
            )
            raise typer.Exit(EXIT_FAILED) from None

    return wrapper


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()
