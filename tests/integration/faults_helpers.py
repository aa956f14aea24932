"""Real parts for tests/integration/test_faults.py: a redis-server of the test's own that
it can stop and start, Celery workers on a queue of their own, an SMTP server on loopback
with fault modes, a tiny reverse proxy, and publishing to a broker from the test process."""

import asyncio
import collections
import contextlib
import http.client
import http.server
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

TIME_LIMIT = 4  # task time limit: the Redis visibility timeout is twice this
LEASE = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def database_url() -> str:
    db = connection.settings_dict
    return "postgres://{user}:{password}@{host}:{port}/{name}".format(
        user=quote(db["USER"] or "", safe=""),
        password=quote(db["PASSWORD"] or "", safe=""),
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=db["NAME"],  # the pytest test database
    )


@contextlib.contextmanager
def broker_env(url: str):
    """Celery lets the CELERY_BROKER_URL environment variable win over the configured broker
    URL (celery.app.utils.Settings.broker_url): point it at `url` meanwhile."""
    before = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = before


class RedisServer:
    """`redis-server` on a free port of its own, without persistence; stop() and start()."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.up, timeout=10, what=f"redis-server on {self.port}")

    def up(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except Exception:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


# SMTP with fault modes


class Mailbox:
    """aiosmtpd handler. Records (recipient, Message-ID) of every accepted message.

    greylist: answer "451 4.7.1" to the first `greylist` RCPT TO of each address;
    reject: addresses that get "550 5.1.1" to RCPT TO; on_data: called before the 250.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.delivered: list[tuple[str, str]] = []
        self.greylist = 0
        self.tries: collections.Counter = collections.Counter()
        self.answered_451 = 0
        self.answered_550 = 0
        self.reject: set[str] = set()
        self.on_data = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.tries[address] += 1
            if address in self.reject:
                self.answered_550 += 1
                return "550 5.1.1 No such user here"
            if self.tries[address] <= self.greylist:
                self.answered_451 += 1
                return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.on_data is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_data, envelope)
        message_id = re.search(rb"^Message-ID: (.+?)\r?$", envelope.content, re.M | re.I)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.delivered.append((rcpt, message_id.group(1).decode() if message_id else ""))
        return "250 2.0.0 OK"

    def counts(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(rcpt for rcpt, _id in self.delivered)

    def duplicates(self) -> int:
        return sum(n - 1 for n in self.counts().values() if n > 1)


@contextlib.contextmanager
def smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


# Celery workers


class Workers:
    """`celery -A zelfsturing worker` processes on a queue of their own, on `broker_url`."""

    def __init__(self, *, broker_url: str, smtp_port: int, logdir: Path):
        self.queue = f"zs-faults-{uuid.uuid4().hex[:10]}"
        self.broker_url = broker_url
        self.logdir = logdir
        self.procs: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zelfsturing.settings",
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_TASK_SOFT_TIME_LIMIT": str(TIME_LIMIT - 1),
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "ZS_REMINDER_LEASE_SECONDS": str(LEASE),
            "ZS_REMINDER_RETRY_BACKOFF": "1",
            "ZS_REMINDER_MAX_RETRIES": "5",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "3",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DEBUG": "1",
            "HTTPS": "0",
            "SITE_URL": "https://zelfsturing.example.nl",
            "LOG_LEVEL": "INFO",
        }

    def start(self, name: str) -> subprocess.Popen:
        log = open(self.logdir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "zelfsturing",
                "worker",
                "--pool=solo",
                f"--queues={self.queue}",
                f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log_file = log
        proc.name = name
        self.procs.append(proc)
        wait_for(lambda: "ready." in self.log(name), timeout=40, what=f"worker {name} ready")
        return proc

    def log(self, name: str) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def all_logs(self) -> str:
        return "\n".join(self.log(proc.name) for proc in self.procs)

    def kill(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        proc.log_file.close()

    def send_task(self, name: str, **kwargs) -> None:
        from celery import Celery

        with broker_env(self.broker_url):
            client = Celery("zs-faults-test", broker=self.broker_url, set_as_current=False)
            client.conf.update(task_serializer="json", accept_content=["json"])
            client.send_task(name, kwargs=kwargs, queue=self.queue)
            client.close()

    def stop_all(self) -> None:
        for proc in self.procs:
            self.kill(proc)


@contextlib.contextmanager
def publishing_to(broker_url: str, queue: str):
    """The portal's Celery app in this process sends tasks to `broker_url` and `queue`
    (not eagerly), as a web process with CELERY_BROKER_URL does; restored afterwards."""
    from celery import current_app

    app = current_app._get_current_object()
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    before = {key: app.conf[key] for key in keys}

    def reset_pools():
        # Forget (do not close: kombu shares them by URL) the pools of the old broker URL.
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    reset_pools()
    try:
        with broker_env(broker_url):
            yield app
    finally:
        app.conf.update(before)
        reset_pools()


# A tiny reverse proxy


class Proxy:
    """A threaded HTTP reverse proxy on loopback in front of one or more upstream ports
    (round robin, as nginx's upstream does; `served` records (method, path, port) of each
    request) that appends the client's address to X-Forwarded-For, as nginx's
    proxy_add_x_forwarded_for does."""

    def __init__(self, *upstream_ports: int):
        self.upstream_ports = upstream_ports
        self.served: list[tuple[str, str, int]] = []
        self._turn = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                forwarded = headers.pop("X-Forwarded-For", "")
                client = self.client_address[0]
                headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
                port = proxy.take_turn(self.command, self.path)
                upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = _forward

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def take_turn(self, method: str, path: str) -> int:
        with self._lock:
            port = self.upstream_ports[self._turn % len(self.upstream_ports)]
            self._turn += 1
            self.served.append((method, path, port))
            return port

    def upcoming(self) -> int:
        """The upstream port the next request goes to."""
        with self._lock:
            return self.upstream_ports[self._turn % len(self.upstream_ports)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A cookie-keeping HTTP client from a chosen loopback address (127.0.0.x)."""

    def __init__(self, port: int, source: str):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method: str, path: str, form: dict | None = None):
        from urllib.parse import urlencode

        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text

    def log_in(self, username: str, password: str) -> int:
        _status, html = self.request("GET", "/account/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _html = self.request(
            "POST",
            "/account/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        return status
