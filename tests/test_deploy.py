"""The production recipe's files (docs/deployment.md) hold together: the gunicorn config
loads and gunicorn knows every setting in it, the systemd units run commands that exist,
the environment example passes `check --deploy`, every `deploy/manage.sh` command in the
recipe exists, and `raise_dashboard_versions` (the step after a restore) makes cached
dashboards unreadable."""

import configparser
import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.urls import reverse

from dashboards.models import TeamDataVersion
from doelen.models import Goal
from teams.models import Team
from tests.factories import GoalFactory, TeamFactory

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
RECIPE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def gunicorn_config(monkeypatch, **env) -> dict:
    for name in [k for k in os.environ if k.startswith("GUNICORN_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    return {k: v for k, v in namespace.items() if not k.startswith("_") and not callable(v)}


def test_gunicorn_config_loads_and_every_name_is_a_gunicorn_setting(monkeypatch):
    from gunicorn.config import Config

    config = gunicorn_config(monkeypatch)
    known = Config().settings
    values = {k: v for k, v in config.items() if not isinstance(v, type(os))}  # not modules
    assert set(values) - set(known) == set()
    gunicorn = Config()
    for name, value in values.items():
        gunicorn.set(name, value)  # gunicorn's own validation
    import multiprocessing

    assert gunicorn.workers == multiprocessing.cpu_count() * 2 + 1
    assert gunicorn.graceful_timeout < gunicorn.timeout
    assert gunicorn.max_requests > 0 and 0 < gunicorn.max_requests_jitter < gunicorn.max_requests
    assert "%(M)s" in gunicorn.access_log_format  # the request's time, in milliseconds
    assert "x-forwarded-for" in gunicorn.access_log_format
    assert gunicorn.preload_app is False  # HUP loads new code
    assert gunicorn.control_socket_disable is True  # signals only; no shared ~/.gunicorn socket
    assert config["wsgi_app"] == "zelfsturing.wsgi:application"


def test_gunicorn_config_takes_overrides_and_names_a_bad_variable(monkeypatch):
    config = gunicorn_config(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="127.0.0.1:9")
    assert config["workers"] == 3 and config["bind"] == ["127.0.0.1:9"]
    with pytest.raises(SystemExit, match="GUNICORN_TIMEOUT: expected a whole number"):
        gunicorn_config(monkeypatch, GUNICORN_TIMEOUT="lang")
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS: must be at least 1"):
        gunicorn_config(monkeypatch, GUNICORN_WORKERS="0")


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keys keep their case
    parser.read(path)
    return parser


def test_the_systemd_units_run_commands_that_exist():
    assert [unit.name for unit in UNITS] == [
        "zelfsturing-beat.service",
        "zelfsturing-web.service",
        "zelfsturing-worker.service",
    ]
    commands = {}
    for path in UNITS:
        service = _unit(path)["Service"]
        argv = shlex.split(service["ExecStart"])
        program = Path(argv[0])
        assert program.parent == Path("/srv/zelfsturing/venv/bin")
        assert (Path(sys.executable).parent / program.name).exists(), program.name
        assert service["WorkingDirectory"] == "/srv/zelfsturing/app"
        assert service["EnvironmentFile"] == "/etc/zelfsturing/zelfsturing.env"
        commands[path.stem.removeprefix("zelfsturing-")] = argv[1:]
    assert commands["web"] == ["--config", "deploy/gunicorn.conf.py"]
    assert (ROOT / "deploy" / "gunicorn.conf.py").exists()
    # celery -A <app> worker / beat: the app path imports and is the portal's Celery app
    import importlib

    for name in ("worker", "beat"):
        assert commands[name][:3] == ["-A", "zelfsturing.celery", name]
        assert importlib.import_module(commands[name][1]).app.main == "zelfsturing"
    # exactly one unit runs beat, and the worker does not embed one (-B)
    assert sum("beat" in argv for argv in commands.values()) == 1
    assert "-B" not in commands["worker"] and "--beat" not in commands["worker"]
    assert _unit(DEPLOY / "systemd" / "zelfsturing-web.service")["Service"]["ExecReload"] == (
        "/bin/kill -HUP $MAINPID"
    )


def test_every_manage_command_in_the_recipe_exists():
    used = set(re.findall(r"deploy/manage\.sh ([a-z_]+)", RECIPE))
    assert {"compilemessages", "collectstatic", "migrate", "check", "createsuperuser"} <= used
    assert used - set(get_commands()) == set()
    assert "raise_dashboard_versions" in used
    for path in re.findall(r"`(deploy/[\w./-]+)`", RECIPE):
        assert (ROOT / path.split("{")[0]).exists() or "{" in path, path
    build = RECIPE[RECIPE.index("## 4.") : RECIPE.index("## 5.")]
    steps = ["compilemessages", "collectstatic", "migrate", "check --deploy"]
    assert sorted(steps, key=build.index) == steps


def test_the_environment_example_passes_check_deploy(tmp_path):
    """The documented environment (with a real key file and SQLite instead of PostgreSQL)
    passes `check --deploy`, and it names only variables the settings read."""
    example = (DEPLOY / "zelfsturing.env.example").read_text(encoding="utf-8")
    env_lines = [line for line in example.splitlines() if line and not line.startswith("#")]
    documented = dict(line.split("=", 1) for line in env_lines)
    settings_source = (ROOT / "zelfsturing" / "settings.py").read_text(encoding="utf-8")
    for name in documented:
        assert f'"{name.removesuffix("_FILE")}"' in settings_source, name
    assert documented["PROXY_COUNT"] == "1"  # one nginx (deploy/nginx/zelfsturing.conf)
    nginx = (DEPLOY / "nginx" / "zelfsturing.conf").read_text(encoding="utf-8")
    assert nginx.count("X-Forwarded-For $proxy_add_x_forwarded_for") == 2
    key = tmp_path / "secret_key"
    key.write_text("k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-_ABCDEFGHIJ")
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        **{k: v.strip('"') for k, v in documented.items()},
        "SECRET_KEY_FILE": str(key),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_raise_dashboard_versions_makes_cached_dashboards_unreadable(client, manager, team):
    """A restore can put data back under a version whose entries are still cached (here: a
    write that bypassed the version raise). After the command every page is computed again."""
    goal = GoalFactory(team=team, title="Voor de restore")
    TeamFactory()  # a team without a version row gets one too
    client.force_login(manager)
    url = reverse("dashboard:team", kwargs={"slug": team.slug})
    assert "Voor de restore" in client.get(url).content.decode()
    Goal.objects.filter(pk=goal.pk).update(title="Na de restore")  # no signal, no raise
    assert "Voor de restore" in client.get(url).content.decode()  # served from the cache
    before = dict(TeamDataVersion.objects.values_list("team_id", "number"))
    call_command("raise_dashboard_versions", stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = dict(TeamDataVersion.objects.values_list("team_id", "number"))
    assert set(after) == set(Team.objects.values_list("pk", flat=True)) and len(after) == 2
    assert all(after[team_id] > number for team_id, number in before.items())
    assert "Na de restore" in client.get(url).content.decode()
