"""eclp: one truthful picture of a shop's customers, from the exports it already has."""

__version__ = "0.1.0"
