"""Reminders through a real Redis broker and real `celery worker` processes, delivered to a
real SMTP server on loopback (aiosmtpd): exactly one e-mail per person, whatever happens.

Needs PostgreSQL (the worker reads the test database from another process) and Redis:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_reminders \
CELERY_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python -m pytest tests/integration
Without them the tests skip; with ZS_REQUIRE_SERVICES=1 (CI) they fail instead.
"""

import asyncio
import collections
import contextlib
import datetime
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from doelen.models import Goal
from notifications.models import ReminderLog
from tests.conftest import need_service
from tests.factories import EmployeeFactory, GoalFactory, MembershipFactory, TeamFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/7"
# Short limits so that a killed worker's claim (lease) and its unacknowledged task (the Redis
# visibility timeout, twice the time limit) expire within the test.
TIME_LIMIT = 4
LEASE = 5
PLAN = "doelen.tasks.plan_daily_reminders"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture
def services():
    need_service(
        connection.vendor == "postgresql",
        "the Celery worker test needs PostgreSQL (DATABASE_URL=postgres://…)",
    )
    need_service(_redis_available(), f"the Celery worker test needs Redis at {BROKER_URL}")


# A real SMTP server on loopback


class Mailbox:
    """aiosmtpd handler: records delivered messages; can be slow or refuse the first tries."""

    def __init__(self):
        self.lock = threading.Lock()
        self.delivered: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.refuse_next = 0
        self.refused = 0
        self.delay = 0.0
        self.started = 0  # DATA commands received
        self.started_event = threading.Event()
        self.signal_at = None

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.started += 1
            if self.signal_at is not None and self.started >= self.signal_at:
                self.started_event.set()
            if self.refuse_next > 0:
                self.refuse_next -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
        if self.delay:
            # aiosmtpd cancels this when the client's connection drops (a killed worker), so
            # a message counts as delivered only once the client could see the 250.
            await asyncio.sleep(self.delay)
        message_id = re.search(rb"^Message-ID: (.+?)\r?$", envelope.content, re.M | re.I)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.delivered.append((rcpt, message_id.group(1).decode() if message_id else ""))
        return "250 2.0.0 OK"

    def counts(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(rcpt for rcpt, _id in self.delivered)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


# Workers and the broker


class Workers:
    """Starts `celery -A zelfsturing worker` processes on a queue of their own."""

    def __init__(self, smtp_port: int, logdir: Path):
        self.queue = f"zs-test-{uuid.uuid4().hex[:10]}"
        self.logdir = logdir
        self.procs: list[subprocess.Popen] = []
        db = connection.settings_dict
        database_url = "postgres://{user}:{password}@{host}:{port}/{name}".format(
            user=quote(db["USER"] or "", safe=""),
            password=quote(db["PASSWORD"] or "", safe=""),
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            name=db["NAME"],  # the pytest test database, e.g. test_zs_reminders
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zelfsturing.settings",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": BROKER_URL,
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
        self.client = self._client()

    def _client(self):
        from celery import Celery

        client = Celery("zs-integration-test", broker=BROKER_URL, set_as_current=False)
        client.conf.update(task_serializer="json", accept_content=["json"])
        return client

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
                f"--hostname={name}@%h",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL hits it all
        )
        proc.log_file = log
        proc.name = name
        self.procs.append(proc)
        wait_for(lambda: "ready." in self.log(name), timeout=30, what=f"worker {name} ready")
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

    def run_plan(self, on: datetime.date) -> str:
        """Run the daily job for `on` (as beat would); returns the plan task's id."""
        return self.client.send_task(PLAN, kwargs={"on": on.isoformat()}, queue=self.queue).id

    def plans_done(self) -> dict[str, int]:
        """{task id: how many sends it enqueued} for the finished plan tasks."""
        pattern = rf"{re.escape(PLAN)}\[([^]]+)\] succeeded in [^:]+: (\d+)"
        return {task_id: int(n) for task_id, n in re.findall(pattern, self.all_logs())}

    def stop_all(self) -> None:
        for proc in self.procs:
            self.kill(proc)
        with contextlib.suppress(Exception):  # cleaning up a test queue is best effort
            self._forget_queue()

    def _forget_queue(self) -> None:
        """Leave Redis as found: drop the queue and the killed worker's unacknowledged
        messages for it (kombu would otherwise put them back into the queue later)."""
        with self.client.connection_for_write() as conn:
            redis = conn.default_channel.client
            for tag, raw in redis.hgetall("unacked").items():
                _message, _exchange, routing_key = json.loads(raw)  # kombu's layout
                if routing_key == self.queue:
                    redis.hdel("unacked", tag)
                    redis.zrem("unacked_index", tag)
            redis.delete(
                self.queue,
                f"_kombu.binding.{self.queue}",
                f"_kombu.binding_permanent.{self.queue}",
            )


@pytest.fixture
def workers(services, smtp):
    _mailbox, port = smtp
    with tempfile.TemporaryDirectory(prefix="zs-celery-") as logdir:
        group = Workers(port, Path(logdir))
        try:
            yield group
        finally:
            group.stop_all()
            for proc in group.procs:
                if "Traceback" in group.log(proc.name):
                    print(group.log(proc.name))


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stale_team(size: int) -> list[str]:
    """A team of `size` members with stale goals: most own one, one goal has no owner, so
    everyone gets exactly one e-mail. Returns the members' addresses."""
    team = TeamFactory()
    members = [EmployeeFactory() for _ in range(size)]
    for member in members:
        MembershipFactory(team=team, employee=member)
    for owner in members[: size - 2]:
        GoalFactory(team=team, owner=owner)
    GoalFactory(team=team, owner=None)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Goal.objects.update(created_at=long_ago)
    return sorted(member.email for member in members)


def all_sent(count: int) -> bool:
    return ReminderLog.objects.filter(status="sent").count() == count


def test_reminders_arrive_once_with_two_workers_and_the_job_run_three_times(workers, smtp):
    mailbox, _port = smtp
    addresses = stale_team(6)
    today = timezone.localdate()
    workers.start("one")
    workers.start("two")
    workers.run_plan(today)
    workers.run_plan(today)  # the job twice at once, on two workers
    wait_for(lambda: all_sent(6) and len(mailbox.counts()) == 6, timeout=60, what="6 e-mails")
    wait_for(lambda: len(workers.plans_done()) == 2, timeout=10, what="both plans finished")
    third = workers.run_plan(today)  # and once more afterwards
    wait_for(lambda: third in workers.plans_done(), timeout=20, what="third plan finished")
    time.sleep(1)  # a duplicate would have arrived by now
    assert sorted(mailbox.counts()) == addresses
    assert set(mailbox.counts().values()) == {1}
    assert workers.plans_done()[third] == 0  # the third run found everything sent
    assert set(ReminderLog.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_worker_killed_mid_batch_still_gives_one_email_each(workers, smtp):
    mailbox, _port = smtp
    addresses = stale_team(6)
    today = timezone.localdate()
    mailbox.delay = 1.0  # slow SMTP, so the batch is still running when the worker dies
    mailbox.signal_at = 3
    first = workers.start("doomed")
    workers.run_plan(today)
    assert mailbox.started_event.wait(timeout=30), "the third e-mail never started"
    killed_at = time.monotonic()
    workers.kill(first)  # SIGKILL while the third e-mail is in the middle of its DATA
    delivered_before_restart = sum(mailbox.counts().values())
    assert 1 <= delivered_before_restart < 6
    assert ReminderLog.objects.filter(status="sending").exists()  # claimed, never finished

    mailbox.delay = 0
    workers.start("restarted")
    # Wait out the dead worker's claim, then run the job again.
    time.sleep(max(0.0, LEASE + 1 - (time.monotonic() - killed_at)))
    workers.run_plan(today)
    wait_for(lambda: all_sent(6) and len(mailbox.counts()) == 6, timeout=60, what="6 e-mails")
    # Past the Redis visibility timeout the killed worker's task is delivered again; its
    # claim was taken over and the reminder sent, so it must send nothing.
    time.sleep(max(0.0, 2 * TIME_LIMIT + 3 - (time.monotonic() - killed_at)))
    assert sorted(mailbox.counts()) == addresses
    assert set(mailbox.counts().values()) == {1}, mailbox.counts()
    assert not ReminderLog.objects.exclude(status="sent").exists()


def test_a_refusing_mail_server_is_retried_then_delivers_once(workers, smtp):
    mailbox, _port = smtp
    addresses = stale_team(3)
    mailbox.refuse_next = 4  # the first four attempts get "451 try again later"
    workers.start("one")
    workers.run_plan(timezone.localdate())
    wait_for(lambda: all_sent(3), timeout=60, what="3 reminders sent after retries")
    time.sleep(0.5)
    assert mailbox.refused == 4
    assert sorted(mailbox.counts()) == addresses and set(mailbox.counts().values()) == {1}
    logs = list(ReminderLog.objects.values_list("attempts", "last_error"))
    assert sum(attempts for attempts, _error in logs) == 3 + 4  # every refusal was retried
    assert all(error == "" for _attempts, error in logs)
    assert "Retry in" in workers.all_logs()
