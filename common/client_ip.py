"""The client's address behind reverse proxies, for the log-in lock-out (django-axes calls
`client_ip` through AXES_CLIENT_IP_CALLABLE).

PROXY_COUNT is the number of reverse proxies in front of Django; each appends the address it
got the request from to X-Forwarded-For. Only those last PROXY_COUNT entries were written by
our own proxies: anything to their left came from the client and may be made up, so it is
never used. The client is the left-most of our proxies' entries (what the first proxy saw).
With TRUSTED_PROXIES set, X-Forwarded-For counts only on a request that came from one of
them (REMOTE_ADDR); a request that went around the proxies is keyed by its own address.
django-ipware parses and validates the entries.
"""

from __future__ import annotations

import ipaddress
from types import SimpleNamespace
from typing import cast

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request, *args, **kwargs) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "PROXY_COUNT", 0)
    if not count:
        return remote
    proxies = getattr(settings, "TRUSTED_PROXIES", [])
    if proxies and not (remote and _trusted(remote, proxies)):
        return remote
    chain = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(chain) < count:
        return remote  # not through all our proxies
    ours = SimpleNamespace(META={"HTTP_X_FORWARDED_FOR": ", ".join(chain[-count:])})
    address, _routable = get_client_ip(
        cast(HttpRequest, ours),  # ipware reads only META
        proxy_order="left-most",  # safe: only our proxies' entries are left
        proxy_count=count - 1,  # ipware counts the proxies listed after the client
        request_header_order=["HTTP_X_FORWARDED_FOR"],
    )
    return address or remote
