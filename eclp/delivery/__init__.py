"""Delivery: unattended runs (lock, inbox, run log), email, and privacy (forget, export-subject)."""
