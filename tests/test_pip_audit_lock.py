"""bin/pip_audit_lock.py: a dependency audit that could check nothing fails, unless offline is
said explicitly; a vulnerability always fails."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("pip_audit_lock", ROOT / "bin" / "pip_audit_lock.py")
assert SPEC and SPEC.loader
pip_audit_lock = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(pip_audit_lock)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
SKIPPED = {"name": "celery", "skip_reason": "Dependency not found on PyPI and could not be audited"}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"]}],
}


def _report(*dependencies):
    return json.dumps({"dependencies": list(dependencies)})


def _decide(stdout, *, offline=False, returncode=0, stderr=""):
    result = pip_audit_lock.parse_report("x.lock", returncode, stdout, stderr)
    return pip_audit_lock.decide([result], offline=offline)


def test_all_checked_and_clean_passes():
    code, lines = _decide(_report(CLEAN))
    assert code == 0
    assert "1 packages checked, 0 known vulnerabilities" in lines[-1]


def test_nothing_checked_fails():
    code, lines = _decide(_report(SKIPPED, {**SKIPPED, "name": "kombu"}))
    assert code == 1
    assert any("NOT CHECKED" in line for line in lines)
    assert "AUDIT_OFFLINE=1" in lines[-1]


def test_some_unchecked_fails():
    code, _ = _decide(_report(CLEAN, SKIPPED))
    assert code == 1


def test_no_report_fails():
    code, lines = _decide("", returncode=1, stderr="Traceback …\nConnectionError: refused")
    assert code == 1
    assert any("NOTHING CHECKED" in line and "refused" in line for line in lines)


def test_empty_report_fails():
    code, _ = _decide(_report())
    assert code == 1


def test_offline_passes_loudly_when_nothing_checked():
    code, lines = _decide(_report(SKIPPED), offline=True)
    assert code == 0
    assert any("OFFLINE" in line and "NOT CHECKED" in line for line in lines)


def test_vulnerability_fails_even_offline():
    for offline in (False, True):
        code, lines = _decide(_report(VULNERABLE, SKIPPED), offline=offline, returncode=1)
        assert code == 1
        assert "VULNERABLE (x.lock): django 5.2.1: PYSEC-2025-1 (5.2.2)" in lines


def test_one_bad_lock_of_two_fails():
    good = pip_audit_lock.parse_report("a.lock", 0, _report(CLEAN), "")
    bad = pip_audit_lock.parse_report("b.lock", 1, "", "ProxyError")
    assert pip_audit_lock.decide([good, bad], offline=False)[0] == 1


def test_unreachable_service_fails_end_to_end(tmp_path):
    """The real pip-audit, its vulnerability service behind a proxy that refuses (loopback)."""
    if not pip_audit_lock.PIP_AUDIT.exists():
        pytest.skip("pip-audit is not installed (make install)")
    env = {
        **os.environ,
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "XDG_CACHE_HOME": str(tmp_path),  # no answers cached by an earlier run
        "HOME": str(tmp_path),
    }
    script = [sys.executable, str(ROOT / "bin" / "pip_audit_lock.py")]
    lock = str(ROOT / "requirements" / "production.lock")
    failed = subprocess.run([*script, lock], capture_output=True, text=True, env=env, timeout=120)  # noqa: S603
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "NOTHING CHECKED" in failed.stdout or "NOT CHECKED" in failed.stdout
    offline = subprocess.run(  # noqa: S603
        [*script, "--offline", lock], capture_output=True, text=True, env=env, timeout=120
    )
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert "OFFLINE (AUDIT_OFFLINE=1): dependencies NOT CHECKED" in offline.stdout
