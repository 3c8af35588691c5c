"""Importing this registers every command on the app."""

from eclp.cli import build_cmds, data_cmds, ops_cmds  # noqa: F401
