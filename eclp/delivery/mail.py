"""Emailing the workbook over SMTP: STARTTLS, implicit TLS, or plain for local relays (spec §8).

Credentials come only from the environment variables the config names; they are handed to
smtplib and never put in a message, a log record or an exception text. Size limits are checked
before connecting. Temporary failures (connection refused, 4xx replies) are retried; permanent
ones (5xx, bad credentials) fail at once with a one-line reason.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from eclp.delivery.settings import EmailSettings
from eclp.delivery.summary import summary_text
from eclp.errors import ConfigError, DeliveryError

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class SendResult:
    """What was sent: to whom, whether the workbook was attached, the Message-ID."""

    workbook: Path
    recipients: tuple[str, ...]
    refused: tuple[str, ...]
    attached: bool  # False when the file was over the limit and oversize: link
    message_id: str
    size_bytes: int
    attempts: int

    def describe(self) -> str:
        how = "attached" if self.attached else "too large to attach: the email names its path"
        line = f"Sent {self.workbook.name} ({how}) to {', '.join(self.recipients)}"
        if self.refused:
            line += f"; refused by the server: {', '.join(self.refused)}"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "workbook": str(self.workbook),
            "recipients": list(self.recipients),
            "refused": list(self.refused),
            "attached": self.attached,
            "message_id": self.message_id,
            "size_bytes": self.size_bytes,
            "attempts": self.attempts,
        }


def send_workbook(
    path: Path,
    settings: EmailSettings,
    *,
    to: Sequence[str] | None = None,
    summary: Mapping[str, Any] | None = None,
    env: Mapping[str, str] = os.environ,
    shop: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """Email the workbook at path; raise DeliveryError (or ConfigError) with a one-line reason."""
    problems = settings.problems()
    if problems:
        raise ConfigError("; ".join(problems))
    recipients = tuple(to) if to else settings.to
    if not recipients:
        raise ConfigError("no recipients: set email.to in eclp.yaml or pass --to")
    if not path.is_file():
        raise DeliveryError(f"no workbook to send: {path} does not exist")
    size = path.stat().st_size
    attach = _attach_or_refuse(path, size, settings)
    credentials = _credentials(settings, env)
    message = compose_message(
        path, settings, to=recipients, summary=summary, attach=attach, shop=shop
    )
    refused, attempts = _deliver(message, settings, credentials, sleep)
    return SendResult(
        workbook=path,
        recipients=tuple(recipients) + settings.cc,
        refused=tuple(sorted(refused)),
        attached=attach,
        message_id=str(message["Message-ID"]),
        size_bytes=size,
        attempts=attempts,
    )


def compose_message(
    path: Path,
    settings: EmailSettings,
    *,
    to: Sequence[str] | None = None,
    summary: Mapping[str, Any] | None = None,
    attach: bool = True,
    shop: str | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The email: headers from the settings, the summary in the body, the workbook attached.

    With attach=False the body names the file's path instead (oversize: link).
    """
    today = today or date.today()
    fields = {
        "date": today.isoformat(),
        "shop": shop or "",
        "workbook": path.name,
        "path": str(path),
        "summary": summary_text(summary) if summary else "",
    }
    message = EmailMessage()
    message["Subject"] = _render(settings.subject, fields, "email.subject")
    message["From"] = settings.from_addr
    message["To"] = ", ".join(to or settings.to)
    if settings.cc:
        message["Cc"] = ", ".join(settings.cc)
    message["Date"] = format_datetime(now or datetime.now().astimezone())
    domain = settings.from_addr.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid("eclp", domain=domain)
    body = _render(settings.body, fields, "email.body")
    if not attach:
        body = body.rstrip() + (
            f"\n\nThe workbook is too large to attach "
            f"(over {settings.max_attachment_mb:g} MB); it is at:\n{path}\n"
        )
    message.set_content(body)
    if attach:
        message.add_attachment(
            path.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=path.name
        )
    return message


def _render(template: str, fields: Mapping[str, str], key: str) -> str:
    try:
        return template.format_map(fields)
    except (KeyError, IndexError, ValueError) as exc:
        known = ", ".join("{" + k + "}" for k in fields)
        raise ConfigError(f"{key}: bad placeholder {exc} (known: {known})") from None


def _attach_or_refuse(path: Path, size: int, settings: EmailSettings) -> bool:
    """Whether to attach the file; raise before connecting when it is too big to send."""
    if size <= settings.max_attachment_bytes:
        return True
    if settings.oversize == "link":
        return False
    raise DeliveryError(
        f"{path.name} is {size / 1024 / 1024:.1f} MB, over email.max_attachment_mb = "
        f"{settings.max_attachment_mb:g}: not sent (raise the limit, or set email.oversize: link "
        "to send the summary and the file's path instead)"
    )


def _credentials(settings: EmailSettings, env: Mapping[str, str]) -> tuple[str, str] | None:
    if not settings.username_env:
        return None
    missing = [n for n in (settings.username_env, settings.password_env) if not env.get(n or "")]
    if missing:
        raise DeliveryError(
            "SMTP credentials missing: set the environment variable(s) "
            + ", ".join(str(n) for n in missing)
            + " (named by email.username_env / email.password_env)"
        )
    return env[settings.username_env], env[str(settings.password_env)]


def _deliver(
    message: EmailMessage,
    settings: EmailSettings,
    credentials: tuple[str, str] | None,
    sleep: Callable[[float], None],
) -> tuple[dict[str, Any], int]:
    """Send with retries on temporary failures; return (refused recipients, attempts)."""
    wait = settings.retry_wait
    for attempt in range(1, settings.retries + 2):
        try:
            return _send_once(message, settings, credentials), attempt
        except _Temporary as exc:
            if attempt > settings.retries:
                raise DeliveryError(
                    f"could not send via {settings.smtp_host}:{settings.port} after "
                    f"{attempt} attempt(s): {exc}"
                ) from None
            sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover


class _Temporary(Exception):
    """A failure worth retrying; its text is safe to show (no credentials)."""


def _send_once(
    message: EmailMessage, settings: EmailSettings, credentials: tuple[str, str] | None
) -> dict[str, Any]:
    where = f"{settings.smtp_host}:{settings.port}"
    try:
        with _connect(settings) as smtp:
            if credentials:
                smtp.login(*credentials)
            return smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"SMTP login to {where} refused ({exc.smtp_code}): check the credentials in "
            f"${settings.username_env} / ${settings.password_env}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"SMTP server {where}: {exc}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(
            f"SMTP server {where} refused every recipient: {', '.join(exc.recipients)}"
        ) from None
    except smtplib.SMTPResponseException as exc:
        reason = _reply_text(exc)
        if 400 <= exc.smtp_code < 500:
            raise _Temporary(f"{exc.smtp_code} {reason}") from None
        raise DeliveryError(f"SMTP server {where} said {exc.smtp_code} {reason}") from None
    except ssl.SSLError as exc:
        raise DeliveryError(
            f"TLS with {where} failed: {exc.reason or exc} (email.security: {settings.security}"
            "; for a self-signed relay set email.ca_file)"
        ) from None
    except (TimeoutError, smtplib.SMTPServerDisconnected, ConnectionError, OSError) as exc:
        raise _Temporary(
            f"{where}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
        ) from None


def _connect(settings: EmailSettings) -> smtplib.SMTP:
    context = _tls_context(settings)
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.smtp_host, settings.port, timeout=settings.timeout, context=context
        )
    smtp = smtplib.SMTP(settings.smtp_host, settings.port, timeout=settings.timeout)
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            if not smtp.has_extn("starttls"):
                # Never fall back to plain text: the credentials would cross in the clear.
                raise smtplib.SMTPNotSupportedError(
                    "does not offer STARTTLS (email.security: starttls); use `ssl`, or `none` "
                    "only for a local relay"
                )
            smtp.starttls(context=context)
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _tls_context(settings: EmailSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca_file:
        try:
            context.load_verify_locations(cafile=settings.ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"email.ca_file {settings.ca_file}: cannot load it: {exc}") from None
    return context


def _reply_text(exc: smtplib.SMTPResponseException) -> str:
    error = exc.smtp_error
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return " ".join(text.split())[:200]
