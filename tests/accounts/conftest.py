"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import email
import re
import socket
from email import policy

import pytest


class Inbox:
    """The mails the server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(("html",)).get_content()

    def link(self, message, path_start: str) -> str:
        """The path of the first link in the plain text that starts with path_start."""
        match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)",
                          self.text(message))
        assert match, self.text(message)
        return match.group(1)


@pytest.fixture
def smtp(app):
    """The app sends through a real SMTP server on 127.0.0.1; yields its inbox."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      PORTAL_URL="https://samverkan.example.se")
    yield inbox
    controller.stop()
