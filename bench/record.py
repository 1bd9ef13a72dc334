"""What a bench run leaves behind: its figures in a file, and nothing in the temporary folder.

`recorded(name)` copies everything the bench prints into `bench/results/<name>.md`, under a
header naming the date, the machine and the command, so that the README can link to figures a
command wrote instead of quoting them. `scratch()` gives the run one temporary folder, points
TMPDIR (and so every child process: MkDocs, its server, pip, Chromium) into it, and removes it
when the run ends, also on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"  # BENCH_RESULTS=<folder> writes elsewhere (the tests)


class _Tee:
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({cpu}){memory}; Python {platform.python_version()}; {platform.platform()}"


@contextlib.contextmanager
def recorded(name: str, command: str) -> Iterator[Path]:
    """Print as usual and write the same text to bench/results/<name>.md (replaced only when the
    run finishes: an interrupted run leaves the last complete figures in place)."""
    folder = Path(os.environ.get("BENCH_RESULTS") or RESULTS)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.md"
    partial = target.with_suffix(".md.partial")
    with open(partial, "w", encoding="utf-8") as out:
        out.write(
            f"# `{command}`\n\nWritten by `{command}` on {time.strftime('%Y-%m-%d %H:%M %Z')}; "
            f"machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}.\n"
            "Do not edit by hand: run the command again.\n\n```text\n"
        )
        stdout = sys.stdout
        sys.stdout = _Tee(stdout, out)
        try:
            yield target
        except BaseException:
            sys.stdout = stdout
            out.close()
            partial.unlink(missing_ok=True)
            raise
        sys.stdout = stdout
        out.write("```\n")
    partial.replace(target)


@contextlib.contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """One temporary folder for the whole run, TMPDIR for the children, removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup below
    try:
        yield folder
    finally:
        signal.signal(signal.SIGTERM, previous)
        tempfile.tempdir = saved[1]
        if saved[0] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[0]
        shutil.rmtree(folder, ignore_errors=True)
