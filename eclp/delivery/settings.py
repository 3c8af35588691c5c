"""The `email:` and `privacy:` sections of eclp.yaml, as typed settings (spec §8).

The config loader maps YAML keys onto these fields by name; the YAML key `from` becomes
`from_addr` (a Python keyword). Every field has a default so the loader can build the
dataclass field by field; what a send needs beyond that is checked by `problems()`.
Secrets never live here: only the *names* of the environment variables that hold them.
"""

from __future__ import annotations

from dataclasses import dataclass

SECURITY_MODES = ("starttls", "ssl", "none")
OVERSIZE_MODES = ("fail", "link")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

DEFAULT_BODY = """Hello,

attached is the customer dashboard of {date}.

{summary}

Sent by eclp.
"""


@dataclass(frozen=True)
class EmailSettings:
    """How and to whom the workbook is emailed (`email:` in eclp.yaml)."""

    smtp_host: str = ""
    smtp_port: int = 0  # 0: the usual port of the security mode (587, 465, 25)
    security: str = "starttls"  # starttls | ssl | none (none only for local relays)
    username_env: str | None = None  # name of the environment variable, never the value
    password_env: str | None = None
    from_addr: str = ""  # YAML key: from
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str = "Customer dashboard {date}"
    body: str = DEFAULT_BODY  # placeholders: {date} {summary} {workbook} {shop}
    max_attachment_mb: float = 20.0
    oversize: str = "fail"  # fail | link (send the summary and the file's path instead)
    timeout: float = 60.0  # seconds per SMTP operation
    retries: int = 2  # further attempts after a temporary failure (4xx, connection refused)
    retry_wait: float = 30.0  # seconds before the first retry; doubles each time
    ca_file: str | None = None  # extra CA bundle (PEM) trusted for TLS, e.g. a company relay's

    def __post_init__(self) -> None:
        # The loader hands lists over as tuples; a single address may come as a string.
        for name in ("to", "cc"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            else:
                object.__setattr__(self, name, tuple(str(v) for v in value))
        if self.security not in SECURITY_MODES:
            raise ValueError(
                f"email.security must be one of {', '.join(SECURITY_MODES)}, not {self.security!r}"
            )
        if self.oversize not in OVERSIZE_MODES:
            raise ValueError(
                f"email.oversize must be one of {', '.join(OVERSIZE_MODES)}, not {self.oversize!r}"
            )
        if not 0 <= self.smtp_port <= 65535:
            raise ValueError(f"email.smtp_port must be a port number, not {self.smtp_port}")
        if self.max_attachment_mb <= 0:
            raise ValueError("email.max_attachment_mb must be more than 0")
        if self.retries < 0 or self.retry_wait < 0 or self.timeout <= 0:
            raise ValueError("email.retries and email.retry_wait must be 0 or more, timeout > 0")

    @property
    def port(self) -> int:
        """The port to connect to: the configured one, else the usual one of the mode."""
        return self.smtp_port or DEFAULT_PORTS[self.security]

    @property
    def max_attachment_bytes(self) -> int:
        return int(self.max_attachment_mb * 1024 * 1024)

    def problems(self) -> list[str]:
        """What is missing before anything can be sent (empty when the settings are usable)."""
        out = []
        if not self.smtp_host:
            out.append("email.smtp_host is not set")
        if not self.from_addr or "@" not in self.from_addr:
            out.append("email.from must be an email address")
        if bool(self.username_env) != bool(self.password_env):
            out.append("email.username_env and email.password_env go together: set both or neither")
        return out


@dataclass(frozen=True)
class PrivacySettings:
    """Privacy options (`privacy:` in eclp.yaml)."""

    # Mask emails and phones in the workbook and CSV outputs (done by the workbook writer).
    # The salt of the suppression hashes is not a setting: it is random per workspace and
    # kept in the store (meta key `privacy.salt`), so ingest and forget always agree on it.
    mask_pii: bool = False
