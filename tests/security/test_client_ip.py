"""The client's address behind reverse proxies (common/client_ip.py), as django-axes uses it
for the log-in lock-out."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from common.client_ip import client_ip


def request(remote="10.1.0.1", xff=None):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("count", "trusted", "remote", "xff", "expected"),
    [
        (0, [], "10.1.0.1", "10.9.9.9", "10.1.0.1"),  # no proxy: the header is ignored
        (1, [], "10.1.0.1", "10.2.0.7", "10.2.0.7"),  # one proxy: what it saw
        (1, [], "10.1.0.1", "6.6.6.6, 10.2.0.7", "10.2.0.7"),  # a made-up entry is ignored
        (2, [], "10.1.0.1", "6.6.6.6, 10.2.0.7, 10.1.0.2", "10.2.0.7"),  # two proxies
        (2, [], "10.1.0.1", "10.2.0.7", "10.1.0.1"),  # not through both: its own address
        (1, [], "10.1.0.1", None, "10.1.0.1"),
        (1, [], "10.1.0.1", "not-an-address", "10.1.0.1"),
        (1, ["10.1.0.0/24"], "10.1.0.1", "10.2.0.7", "10.2.0.7"),  # from a trusted proxy
        (1, ["10.1.0.0/24"], "10.3.0.1", "10.2.0.7", "10.3.0.1"),  # around the proxy
    ],
)
def test_client_address(settings, count, trusted, remote, xff, expected):
    settings.PROXY_COUNT, settings.TRUSTED_PROXIES = count, trusted
    assert client_ip(request(remote, xff)) == expected


def test_axes_uses_it():
    assert settings.AXES_CLIENT_IP_CALLABLE == "common.client_ip.client_ip"


@pytest.mark.django_db
def test_behind_a_proxy_a_locked_address_does_not_lock_a_colleague_elsewhere(
    client, member, settings
):
    settings.PROXY_COUNT = 1
    proxy = "10.1.0.1"

    def login(password, ip):
        return client.post(
            reverse("login"),
            {"username": "member", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ip,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("wrong", "10.2.0.7")
    assert login("demo", "10.2.0.7").status_code == 429
    assert login("demo", "10.2.0.8").status_code == 302  # the same proxy, another address
