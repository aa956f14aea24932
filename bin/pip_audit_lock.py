"""Run pip-audit on requirements.lock; fail on a known vulnerability, warn when it cannot check.

pip-audit asks PyPI's JSON API (or OSV) about each pinned package. On a closed network, or
behind a package mirror without that API, nothing can be checked: then this prints a clear
WARNING and exits 0, so that CI on such a network still runs the rest; the warning names
what was not checked. A vulnerability that is found always fails.

Accepted vulnerabilities: add the id to IGNORED with the reason, e.g.
    "GHSA-xxxx-xxxx-xxxx": "only affects the Windows installer; we run on Linux",
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
IGNORED: dict[str, str] = {}


def main() -> int:
    command = [
        str(PIP_AUDIT),
        "--requirement",
        str(ROOT / "requirements.lock"),
        "--disable-pip",
        "--no-deps",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    for vuln_id in IGNORED:
        command += ["--ignore-vuln", vuln_id]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"WARNING: pip-audit did not run ({exc}); dependencies NOT checked.")
        return 0
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(
            "WARNING: pip-audit could not reach its vulnerability service; dependencies NOT "
            f"checked. ({last})"
        )
        return 0
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(
                f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} ({fixes})"
            )
    if skipped:
        print(
            f"WARNING: pip-audit could not check {len(skipped)} of {len(dependencies)} pinned "
            "packages (the package index here does not answer vulnerability queries): "
            + ", ".join(d["name"] for d in skipped[:8])
            + (" …" if len(skipped) > 8 else "")
        )
    checked = len(dependencies) - len(skipped)
    print(f"pip-audit: {checked} packages checked, {len(vulnerable)} with known vulnerabilities.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
