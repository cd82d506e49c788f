"""Run the README's two commands exactly as written, each timed, with the time until the first
command that is not an install (the set-up) shown apart.

    python .ci/readme_commands.py README.md

The commands are the lines of the first fenced block under the heading "Two commands"; a
trailing "# comment" is dropped, as the shell would.  Exits with the first failing status.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def readme_commands(readme: str) -> list[str]:
    section = re.search(r"^##\s+Two commands\s*$(.*?)^```\w*\n(.*?)^```", readme, re.M | re.S)
    if not section:
        raise SystemExit("README.md has no fenced block under '## Two commands'")
    commands = []
    for line in section.group(2).splitlines():
        command = line[:_comment_start(line)].strip()
        if command:
            commands.append(command)
    if len(commands) != 2:
        raise SystemExit(f"README.md should give two commands, found {len(commands)}")
    return commands


def _comment_start(line: str) -> int:
    """Where an unquoted "# comment" starts, as the shell reads it."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return i
    return len(line)


def run(command: str) -> int:
    """The command under bash, each simple command's start time traced to a file of its own."""
    with tempfile.NamedTemporaryFile("r", suffix=".trace") as trace:
        script = (f"exec 9>{shlex.quote(trace.name)}; BASH_XTRACEFD=9; "
                  f"PS4='+ $EPOCHREALTIME '; set -x\n{command}\n")
        start = time.time()
        code = subprocess.call(["bash", "-c", script])
        end = time.time()
        starts = [(float(m.group(1)), m.group(2)) for m in
                  re.finditer(r"^\++ ([0-9.]+) (.*)$", Path(trace.name).read_text(), re.M)]
    installs = [t for t, what in starts if re.match(r"(pip|python -m pip)\s+install\b", what)]
    others = [t for t, what in starts if t >= (installs[0] if installs else 0)
              and not re.match(r"(pip|python -m pip)\s+install\b", what)]
    if installs:
        setup_end = others[0] if others else end
        print(f"[ci] set-up (pip install): {setup_end - start:.1f} s", flush=True)
    print(f"[ci] exit {code} after {end - start:.1f} s: {command}", flush=True)
    return code


def main() -> int:
    commands = readme_commands(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for command in commands:
        print(f"[ci] $ {command}", flush=True)
        code = run(command)
        if code:
            return code
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    sys.exit(main())
