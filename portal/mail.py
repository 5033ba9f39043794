"""Mail: built with the standard library's EmailMessage, sent over SMTP with smtplib.

Every mail has a plain-text and an HTML part, rendered from `templates/mail/<name>.txt` and
`.html` in the recipient's language. The text template sets `subject`. Without MAIL_SERVER
(development) the mail is written to the log instead.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import force_locale

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the mail."""


def compose(to: str, name: str, locale: str | None = None, **context) -> EmailMessage:
    """The mail `name` to one address, in `locale` (the portal's default language if None)."""
    locale = locale if locale in current_app.config["LANGUAGES"] else (
        current_app.config["BABEL_DEFAULT_LOCALE"])
    env = current_app.jinja_env
    with force_locale(locale):
        text_template = env.get_template(f"mail/{name}.txt")
        module = text_template.make_module(context)
        text = str(module).strip() + "\n"
        subject = str(getattr(module, "subject", "Samverkansportalen")).strip()
        html = env.get_template(f"mail/{name}.html").render(subject=subject, lang=locale,
                                                            **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="samverkansportalen")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after the body: set_content drops Content-* fields
    return message


def send(messages: list[EmailMessage]) -> None:
    """Send the mails over one SMTP connection (or write them to the log in development)."""
    if not messages:
        return
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        for message in messages:
            log.warning("MAIL_SERVER is not set; mail to %s not sent:\n%s", message["To"],
                        message.get_body(("plain",)).get_content())
        return
    try:
        with smtplib.SMTP(server, int(config.get("MAIL_PORT") or 25), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for message in messages:
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"cannot send mail through {server}: {exc}") from exc


def send_one(to: str, name: str, locale: str | None = None, **context) -> None:
    """Compose and send one mail."""
    send([compose(to, name, locale, **context)])
