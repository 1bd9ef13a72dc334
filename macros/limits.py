"""Running work on untrusted input under limits: a child process per call, with a CPU-time,
memory and wall-clock limit, whose result must be a picklable value.

Python-Markdown's costs grow faster than its input on some patterns (a long run of `[` takes
time quadratic in its length); a contributed file must not be able to hang or bloat the build,
so each one is rendered in a forked child that the kernel stops when it exceeds its share.
Where fork is not available (not Linux or macOS), the call runs in this process, unlimited.
"""

from __future__ import annotations

import multiprocessing
import pickle
import resource
import signal
import sys

CPU_SECONDS = 5
MEMORY_BYTES = 1 << 30  # 1 GiB of address space: a page of a few MB needs far less
WALL_SECONDS = 20


class Exceeded(Exception):
    """The work went over a limit: `kind` is "time" or "memory"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _child(conn, func, arg, cpu_seconds, memory_bytes):
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):  # a lower hard limit already in force is kept
        pass
    try:
        conn.send_bytes(pickle.dumps(("ok", func(arg))))
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory", None)))
    finally:
        conn.close()


def run_limited(func, arg, cpu_seconds: int = CPU_SECONDS, memory_bytes: int = MEMORY_BYTES):
    """`func(arg)` computed in a child process under the limits; Exceeded if it went over."""
    if sys.platform not in ("linux", "darwin"):
        return func(arg)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, func, arg, cpu_seconds, memory_bytes), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(WALL_SECONDS):
            raise Exceeded("time")
        try:
            status, value = pickle.loads(receive.recv_bytes())
        except EOFError:  # killed by the kernel: SIGXCPU past the CPU limit, or out of memory
            child.join(1)
            raise Exceeded("time" if child.exitcode == -signal.SIGXCPU else "memory") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(1)
    if status != "ok":
        raise Exceeded(status)
    return value
