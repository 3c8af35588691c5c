"""Errors with a user message and the exit code the CLI maps them to (spec §2)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_LOCKED = 4


class EclpError(Exception):
    """Base of every error eclp reports to a user: its message is one line, fit to print."""

    exit_code = EXIT_FAILED


class ConfigError(EclpError):
    """eclp.yaml (or a command's options) is wrong; the message names the key and line."""

    exit_code = EXIT_USAGE


class WorkspaceError(EclpError):
    """No workspace found, or one would be overwritten."""

    exit_code = EXIT_USAGE


class SourceError(EclpError):
    """A file cannot be read or mapped; names the file and, where known, row and column."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else None,
                f"column {column!r}" if column else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message


class LockedError(EclpError):
    """Another eclp run holds the workspace lock."""

    exit_code = EXIT_LOCKED


class DeliveryError(EclpError):
    """The workbook could not be sent (SMTP, size limit, missing credentials)."""


class NotFoundError(EclpError):
    """A query (customer, file) matched nothing."""
