"""The eclp command line: thin typer commands over the library (spec §2)."""

from __future__ import annotations

from eclp.cli import commands  # noqa: F401  (registers every command on the app)
from eclp.cli.app import app, main

__all__ = ["app", "main"]
