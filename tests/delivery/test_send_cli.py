"""`eclp send` through the CLI: the latest workbook reaches a real local SMTP server."""

from __future__ import annotations

import email
import email.policy
import json

from typer.testing import CliRunner

from eclp.cli import app
from eclp.config_template import CONFIG_TEMPLATE
from eclp.workspace import init_workspace


def test_send_json_delivers_the_given_workbook(smtp_server, tmp_path):
    server = smtp_server("none")
    ws = init_workspace(tmp_path / "ws", CONFIG_TEMPLATE)
    ws.config_path.write_text(
        f"email:\n  smtp_host: {server.host}\n  smtp_port: {server.port}\n  security: none\n"
        "  from: reports@shop.example\n  to: [owner@shop.example]\n"
    )
    workbook = ws.out / "customer-dashboard-2026-11-23.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not really a workbook, but bytes to carry")
    result = CliRunner().invoke(app, ["-w", str(ws.root), "send", "--json", str(workbook)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report.get("attached") is True
    [(mail_from, rcpt, raw)] = server.inbox.messages
    assert mail_from == "reports@shop.example" and rcpt == ["owner@shop.example"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == workbook.name
    assert attachment.get_content() == workbook.read_bytes()


def test_send_without_email_config_is_a_config_error(tmp_path):
    ws = init_workspace(tmp_path / "ws", CONFIG_TEMPLATE)
    result = CliRunner().invoke(app, ["-w", str(ws.root), "send"])
    assert result.exit_code == 2
    assert "email is not configured" in result.stderr
