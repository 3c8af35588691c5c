"""`eclp send`: the workbook reaches a real SMTP server intact, secrets stay secret (spec §8)."""

from __future__ import annotations

import email
import email.policy
import os
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from eclp.delivery.mail import compose_message, send_workbook
from eclp.delivery.settings import EmailSettings
from eclp.errors import ConfigError, DeliveryError

from .conftest import SMTP_PASSWORD, SMTP_USER

ENV = {"ECLP_SMTP_USER": SMTP_USER, "ECLP_SMTP_PASSWORD": SMTP_PASSWORD}
SUMMARY = {
    "customers": 1234,
    "orders": 2001,
    "revenue": 45678.5,
    "currency": "EUR",
    "segments": {"Champions": 120, "Hibernating": 400, "Loyal Customers": 210, "At Risk": 90},
}


@pytest.fixture
def workbook(tmp_path) -> Path:
    """A real small xlsx, as a build writes."""
    path = tmp_path / "customer-dashboard-2026-11-23.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Overview")
    sheet.write_row(0, 0, ["Customers", 1234])
    sheet.write_row(1, 0, ["Revenue", 45678.5])
    book.close()
    return path


def settings_for(server, **overrides) -> EmailSettings:
    values = dict(
        smtp_host=server.host,
        smtp_port=server.port,
        security="none",
        from_addr="reports@shop.example",
        to=("owner@shop.example",),
        subject="Customer dashboard {date}",
        ca_file=str(server.ca_file),
        timeout=10.0,
        retries=0,
    )
    values.update(overrides)
    return EmailSettings(**values)


def received(server) -> email.message.EmailMessage:
    assert len(server.inbox.messages) == 1
    _, _, raw = server.inbox.messages[0]
    return email.message_from_bytes(raw, policy=email.policy.default)


def attachment_bytes(message) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    return part.get_filename(), part.get_payload(decode=True)


def test_starttls_with_login_delivers_the_workbook_byte_for_byte(smtp_server, workbook):
    server = smtp_server("starttls", auth=True)
    settings = settings_for(
        server,
        security="starttls",
        username_env="ECLP_SMTP_USER",
        password_env="ECLP_SMTP_PASSWORD",
        cc=("analyst@shop.example",),
    )
    result = send_workbook(workbook, settings, summary=SUMMARY, env=ENV)

    mail_from, rcpt_tos, _ = server.inbox.messages[0]
    assert mail_from == "reports@shop.example"
    assert rcpt_tos == ["owner@shop.example", "analyst@shop.example"]
    assert server.inbox.tls == [True]
    assert server.inbox.logins == [("PLAIN", True)] or server.inbox.logins == [("LOGIN", True)]
    message = received(server)
    assert message["Subject"] == f"Customer dashboard {date.today().isoformat()}"
    assert message["Cc"] == "analyst@shop.example"
    name, payload = attachment_bytes(message)
    assert name == workbook.name
    assert payload == workbook.read_bytes()
    body = message.get_body(("plain",)).get_content()
    assert "Customers: 1,234" in body
    assert "Net revenue: 45,678.50 EUR" in body
    assert "Top segments: Hibernating (400), Loyal Customers (210), Champions (120)" in body
    assert result.attached and result.refused == () and result.attempts == 1
    assert result.message_id == message["Message-ID"]


def test_implicit_tls_delivers(smtp_server, workbook):
    server = smtp_server("ssl")
    send_workbook(workbook, settings_for(server, security="ssl"), env={})
    assert server.inbox.tls == [True]
    assert attachment_bytes(received(server))[1] == workbook.read_bytes()


def test_plain_relay_and_to_override(smtp_server, workbook):
    server = smtp_server("none")
    result = send_workbook(
        workbook, settings_for(server), to=["boss@shop.example", "cfo@shop.example"], env={}
    )
    assert server.inbox.messages[0][1] == ["boss@shop.example", "cfo@shop.example"]
    assert server.inbox.tls == [False]
    assert result.recipients == ("boss@shop.example", "cfo@shop.example")
    assert result.describe() == (
        f"Sent {workbook.name} (attached) to boss@shop.example, cfo@shop.example"
    )


def test_wrong_password_fails_clearly_without_showing_it(smtp_server, workbook):
    server = smtp_server("starttls", auth=True)
    settings = settings_for(
        server,
        security="starttls",
        username_env="ECLP_SMTP_USER",
        password_env="ECLP_SMTP_PASSWORD",
    )
    wrong = {**ENV, "ECLP_SMTP_PASSWORD": "not-the-password-123"}
    with pytest.raises(DeliveryError) as err:
        send_workbook(workbook, settings, env=wrong)
    message = str(err.value)
    assert "login" in message and "$ECLP_SMTP_PASSWORD" in message
    assert "not-the-password-123" not in message and SMTP_USER not in message
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert server.inbox.messages == []


def test_missing_credential_variable_is_named_before_connecting(workbook):
    settings = EmailSettings(
        smtp_host="127.0.0.1",
        smtp_port=1,  # nothing listens: connecting would fail differently
        from_addr="reports@shop.example",
        to=("owner@shop.example",),
        username_env="ECLP_SMTP_USER",
        password_env="ECLP_SMTP_PASSWORD",
    )
    with pytest.raises(
        DeliveryError, match=r"set the environment variable\(s\) ECLP_SMTP_PASSWORD"
    ):
        send_workbook(workbook, settings, env={"ECLP_SMTP_USER": SMTP_USER})


def test_starttls_refuses_to_fall_back_to_plain_text(smtp_server, workbook):
    server = smtp_server("none")
    with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
        send_workbook(workbook, settings_for(server, security="starttls"), env={})
    assert server.inbox.messages == []


def test_untrusted_certificate_is_refused(smtp_server, workbook):
    server = smtp_server("ssl")
    with pytest.raises(DeliveryError, match=r"TLS with 127.0.0.1"):
        send_workbook(workbook, settings_for(server, security="ssl", ca_file=None), env={})


def test_oversized_attachment_fails_before_connecting(workbook, tmp_path):
    big = tmp_path / "big.xlsx"
    big.write_bytes(os.urandom(1024 * 1024 + 10))
    # Port 1 on localhost has no server: reaching the network would raise another error.
    settings = EmailSettings(
        smtp_host="127.0.0.1",
        smtp_port=1,
        security="none",
        from_addr="reports@shop.example",
        to=("owner@shop.example",),
        max_attachment_mb=1,
    )
    with pytest.raises(
        DeliveryError, match=r"big.xlsx is 1.0 MB, over email.max_attachment_mb = 1"
    ):
        send_workbook(big, settings, env={})


def test_oversized_attachment_with_link_sends_summary_and_path(smtp_server, tmp_path):
    server = smtp_server("none")
    big = tmp_path / "big.xlsx"
    big.write_bytes(os.urandom(1024 * 1024 + 10))
    result = send_workbook(
        big, settings_for(server, max_attachment_mb=1, oversize="link"), summary=SUMMARY, env={}
    )
    message = received(server)
    assert list(message.iter_attachments()) == []
    body = message.get_body(("plain",)).get_content()
    assert str(big) in body and "Customers: 1,234" in body
    assert result.attached is False


def test_temporary_failure_is_retried_then_reported(workbook):
    waits: list[float] = []
    settings = EmailSettings(
        smtp_host="127.0.0.1",
        smtp_port=1,
        security="none",
        from_addr="reports@shop.example",
        to=("owner@shop.example",),
        retries=2,
        retry_wait=5,
    )
    with pytest.raises(DeliveryError, match=r"could not send via 127.0.0.1:1 after 3 attempt"):
        send_workbook(workbook, settings, env={}, sleep=waits.append)
    assert waits == [5, 10]


def test_settings_problems_are_reported_as_config_errors(workbook):
    with pytest.raises(ConfigError, match=r"email.smtp_host is not set; email.from must be"):
        send_workbook(workbook, EmailSettings(to=("a@b.example",)), env={})
    with pytest.raises(ConfigError, match="no recipients"):
        send_workbook(workbook, EmailSettings(smtp_host="h", from_addr="r@shop.example"), env={})
    with pytest.raises(ValueError, match=r"email.security must be one of"):
        EmailSettings(security="tls")


def test_compose_message_renders_templates_and_changes_since_last_run(workbook):
    settings = EmailSettings(
        smtp_host="h",
        from_addr="reports@shop.example",
        to=("owner@shop.example",),
        subject="{shop}: dashboard {date}",
        body="Hi!\n{summary}\nFile: {workbook}\n",
    )
    previous = {"customers": 1200, "orders": 1900, "revenue": 40000.0}
    message = compose_message(
        workbook,
        settings,
        summary={**SUMMARY, "previous": previous},
        shop="Acme",
        today=date(2026, 11, 23),
    )
    assert message["Subject"] == "Acme: dashboard 2026-11-23"
    body = message.get_body(("plain",)).get_content()
    assert "Since the last run: +34 customers, +101 orders, +5,678.50 EUR revenue" in body
    assert f"File: {workbook.name}" in body


def test_bad_template_placeholder_is_a_config_error(workbook):
    settings = EmailSettings(smtp_host="h", from_addr="r@s.example", subject="Report {day}")
    with pytest.raises(ConfigError, match=r"email.subject: bad placeholder 'day'"):
        compose_message(workbook, settings, to=["a@b.example"])
