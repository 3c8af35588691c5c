"""Shared fixtures: a real SMTP server on localhost (aiosmtpd), TLS certificates, a store."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from eclp.store import Store

SMTP_USER = "reports@shop.example"
SMTP_PASSWORD = "s3cret-Pa55word-!"


@dataclass
class Inbox:
    """What the test SMTP server received."""

    messages: list = field(default_factory=list)  # (mail_from, rcpt_tos, raw bytes)
    logins: list = field(default_factory=list)
    tls: list = field(default_factory=list)  # whether each DATA arrived over TLS

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        # STARTTLS sets session.ssl; implicit TLS shows on the transport.
        over_tls = session.ssl is not None or server.transport.get_extra_info("ssl_object")
        self.tls.append(bool(over_tls))
        return "250 OK"


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox
    ca_file: Path | None


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory) -> tuple[ssl.SSLContext, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1; the CA's PEM path for clients."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return server_context, ca_file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _authenticator(inbox: Inbox):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == SMTP_USER.encode()
            and auth_data.password == SMTP_PASSWORD.encode()
        )
        inbox.logins.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)

    return authenticate


@pytest.fixture
def smtp_server(tls_material) -> Iterator:
    """Start a real SMTP server on 127.0.0.1: smtp_server(mode, auth=False) -> SmtpServer."""
    controllers: list[Controller] = []
    server_context, ca_file = tls_material

    def start(mode: str = "none", *, auth: bool = False) -> SmtpServer:
        inbox = Inbox()
        kwargs: dict = {}
        if mode == "starttls":
            kwargs.update(tls_context=server_context, require_starttls=True)
        elif mode == "ssl":
            kwargs.update(ssl_context=server_context)
        if auth:
            kwargs.update(authenticator=_authenticator(inbox), auth_required=True)
            if mode != "starttls":
                # Implicit TLS is invisible to aiosmtpd's STARTTLS bookkeeping.
                kwargs.update(auth_require_tls=False)
        port = _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return SmtpServer("127.0.0.1", port, inbox, ca_file)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    """An empty store file with the schema."""
    with Store.open(tmp_path / "store.duckdb") as opened:
        yield opened
