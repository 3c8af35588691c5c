"""The eclp command line: thin typer commands over the library (spec §2)."""

from __future__ import annotations

from eclp.cli.app import app, main

__all__ = ["app", "main"]
