"""Importing this registers every command on the app, in the order `eclp --help` lists them."""

# isort: skip_file
from eclp.cli import data_cmds  # noqa: F401  init, ingest, profiles, map, status
from eclp.cli import build_cmds  # noqa: F401  build, review, show
from eclp.cli import ops_cmds  # noqa: F401  run, send, forget, export-subject
