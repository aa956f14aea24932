"""Run pip-audit on the hashed locks; fail on a known vulnerability, and fail when it could not
check, unless told that this network is offline.

    python bin/pip_audit_lock.py [--offline] [LOCK ...]   (default: both locks in requirements/)

pip-audit asks PyPI's JSON API about each pinned version. On a closed network, or behind a
package mirror without that API, it gets no answer: every package comes back "skipped", or
pip-audit stops with a connection error. A security check that then passes would say "no
known vulnerabilities" about packages nobody looked at, so that is a failure (exit 1) — unless
`--offline` (`make audit AUDIT_OFFLINE=1`) says so explicitly; then it passes and prints, in
capitals, that the dependencies were NOT CHECKED. `--offline` only excuses what could not be
checked: a vulnerability that is found always fails.

Accepted vulnerabilities: add the id to IGNORED with the reason, e.g.
    "GHSA-xxxx-xxxx-xxxx": "only affects the Windows installer; we run on Linux",
"""

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
LOCKS = [ROOT / "requirements" / "production.lock", ROOT / "requirements" / "development.lock"]
IGNORED: dict[str, str] = {}


@dataclass
class LockResult:
    """What pip-audit said about one lock."""

    lock: str
    checked: int = 0
    unchecked: list[str] = field(default_factory=list)  # package names pip-audit skipped
    vulnerabilities: list[str] = field(default_factory=list)  # one line per finding
    error: str = ""  # pip-audit did not run or gave no report: nothing was checked

    @property
    def complete(self) -> bool:
        return not self.error and not self.unchecked and self.checked > 0


def parse_report(lock: str, returncode: int, stdout: str, stderr: str) -> LockResult:
    """Turn pip-audit's JSON output (and exit code) into a LockResult."""
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        return LockResult(lock, error=f"pip-audit exit {returncode}, no report: {last}")
    result = LockResult(lock)
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            result.unchecked.append(dependency["name"])
            continue
        result.checked += 1
        for vuln in dependency.get("vulns") or []:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            result.vulnerabilities.append(
                f"{dependency['name']} {dependency['version']}: {vuln['id']} ({fixes})"
            )
    if not result.checked and not result.unchecked:
        result.error = "pip-audit reported no packages"
    return result


def decide(results: list[LockResult], *, offline: bool) -> tuple[int, list[str]]:
    """The exit code and the lines to print, from the results of all locks."""
    lines: list[str] = []
    vulnerable = False
    incomplete = False
    for result in results:
        for finding in result.vulnerabilities:
            vulnerable = True
            lines.append(f"VULNERABLE ({result.lock}): {finding}")
        if result.error:
            incomplete = True
            lines.append(f"{result.lock}: NOTHING CHECKED ({result.error})")
        elif result.unchecked:
            incomplete = True
            names = ", ".join(result.unchecked[:8]) + (" …" if len(result.unchecked) > 8 else "")
            lines.append(
                f"{result.lock}: {len(result.unchecked)} of "
                f"{result.checked + len(result.unchecked)} packages NOT CHECKED "
                f"(the vulnerability service did not answer for them): {names}"
            )
        lines.append(
            f"pip-audit {result.lock}: {result.checked} packages checked, "
            f"{len(result.vulnerabilities)} known vulnerabilities."
        )
    if incomplete and offline:
        lines += [
            "*" * 72,
            "* OFFLINE (AUDIT_OFFLINE=1): dependencies NOT CHECKED for vulnerabilities.",
            "* Run `make audit` where PyPI's JSON API can be reached.",
            "*" * 72,
        ]
    elif incomplete:
        lines.append(
            "ERROR: dependencies could not be checked for vulnerabilities. On a network "
            "without PyPI's JSON API, say so: `make audit AUDIT_OFFLINE=1`."
        )
    code = 1 if vulnerable or (incomplete and not offline) else 0
    return code, lines


def audit_lock(lock: Path) -> LockResult:
    name = str(lock.relative_to(ROOT)) if lock.is_relative_to(ROOT) else str(lock)
    command = [
        str(PIP_AUDIT),
        "--requirement",
        str(lock),
        "--disable-pip",
        "--require-hashes",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    for vuln_id in IGNORED:
        command += ["--ignore-vuln", vuln_id]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        return LockResult(name, error=f"pip-audit did not run: {exc}")
    return parse_report(name, done.returncode, done.stdout, done.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline", action="store_true", help="pass when nothing could be checked")
    parser.add_argument("locks", nargs="*", type=Path, help="lock files (default: both)")
    args = parser.parse_args(argv)
    locks = [lock.resolve() for lock in args.locks] or LOCKS
    code, lines = decide([audit_lock(lock) for lock in locks], offline=args.offline)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
