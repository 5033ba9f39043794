"""Start the real OpenID provider (tests/oidc/provider.mjs) and walk through its sign-in page."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from tests.conftest import require_or_skip

HERE = Path(__file__).parent
CLIENT_ID = "samverkansportalen"
CLIENT_SECRET = "test-client-secret-not-a-real-one"  # noqa: S105 - the test provider's client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_provider(portal_urls: list[str]):
    """A provider on 127.0.0.1 that knows the portal at these base URLs; yields its issuer."""
    node = shutil.which("node")
    require_or_skip(node is not None, "node is not installed (needed for the test OpenID provider)")
    require_or_skip((HERE / "node_modules" / "oidc-provider").is_dir(),
                    "the test OpenID provider is not installed (make install-dev runs npm ci)")
    port = _free_port()
    config = {"port": port, "clients": [{
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{u}/login/oidc/callback" for u in portal_urls],
        "post_logout_redirect_uris": [f"{u}/login" for u in portal_urls],
    }]}
    process = subprocess.Popen(  # noqa: S603 - our own script, no shell
        [node, str(HERE / "provider.mjs")], cwd=HERE,
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config), "NODE_ENV": "test"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            process.kill()
            raise RuntimeError(f"the test OpenID provider did not start: {line}"
                               f"{process.stderr.read()}")
        yield line.split(" ", 1)[1].strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def sign_in_at_provider(authorize_url: str, login: str, portal_url: str,
                        session: requests.Session | None = None) -> str:
    """Follow the provider's pages as a browser would, signing in with `login`.

    Returns the URL the provider sends the browser back to (the portal's callback), without
    visiting it.
    """
    session = session or requests.Session()
    url, method, data = authorize_url, "GET", None
    for _step in range(12):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            target = urljoin(url, response.headers["Location"])
            if target.startswith(portal_url):
                return target
            url, method, data = target, "GET", None
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*method="post"', response.text)
        if response.status_code != 200 or form is None:
            raise AssertionError(f"unexpected page at {url}: {response.status_code} "
                                 f"{response.text[:500]}")
        url = urljoin(url, unescape(form.group(1)))
        method = "POST"
        data = {"prompt": "login", "login": login, "password": "any-password"}
    raise AssertionError("the provider did not send the browser back")


def path_of(url: str) -> str:
    """The path and query of a URL (for the Flask test client)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
