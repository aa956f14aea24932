"""The test-only OpenID provider (tests/oidc/provider/, npm `oidc-provider`) on a free
loopback port, and the portal configured for it as an operator would, from OIDC_* variables."""

import os
import shutil
import socket
import subprocess
import time

import pytest
import requests

from tests.conftest import need_service
from zelfsturing import oidc_settings

PROVIDER = os.path.join(os.path.dirname(__file__), "provider")
CLIENT_SECRET = "test-only-client-secret"  # noqa: S105 - server.js's test client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(portal_url: str):
    """Start server.js; return (process, issuer). npm ci first when node_modules is missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    need_service(
        node is not None and npm is not None,
        "Node.js not found: the OpenID Connect journey runs a provider with node (apt-get "
        "install nodejs npm)",
    )
    if not os.path.isdir(os.path.join(PROVIDER, "node_modules")):
        subprocess.run(  # noqa: S603 - fixed arguments
            [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER, check=True, timeout=300
        )
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "REDIRECT_URI": f"{portal_url}/account/organisatie/terug/",
        "POST_LOGOUT_REDIRECT_URI": f"{portal_url}/account/login/",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [node, "server.js"], cwd=PROVIDER, env=env, stdout=subprocess.DEVNULL
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
            return process, issuer
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the test OpenID provider did not start (exit {process.poll()})")
            time.sleep(0.2)


def configure(settings, monkeypatch, **variables: str) -> dict:
    """Apply OIDC_* variables the way settings.py does (http allowed: loopback, tests only)."""
    from portal import oidc

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    values = oidc_settings.read(allow_http=True)
    for name, value in values.items():
        setattr(settings, name, value)
    backend = "portal.oidc.OrganisationAccountBackend"
    if values["ZS_OIDC_ENABLED"] and backend not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
        csp = settings.CONTENT_SECURITY_POLICY
        directives = {**csp["DIRECTIVES"]}
        directives["form-action"] = [*directives["form-action"], *values["ZS_OIDC_ORIGINS"]]
        settings.CONTENT_SECURITY_POLICY = {**csp, "DIRECTIVES": directives}
    oidc._discovery.clear()
    return values
