"""`make serve`: check the address is free, then run `mkdocs serve` on it.

A busy port is found before the first build (which takes half a minute), and the message says,
in Chinese, which port to use instead; Ctrl+C stops the server without a traceback.

    python scripts/serve.py HOST PORT
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: TIME_WAIT is not busy
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port_near(host: str, port: int) -> int | None:
    return next((p for p in range(port + 1, min(port + 100, 65536)) if port_free(host, p)), None)


def main(argv: list[str]) -> int:
    host, raw = argv
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 65536:
        print(f"PORT={raw} 不是端口号：应为 1 到 65535 之间的整数，如 make serve PORT=8001", file=sys.stderr)
        return 2
    port = int(raw)
    try:
        free = port_free(host, port)
    except (OSError, UnicodeError) as e:  # an unknown host name, an address this machine does not have
        print(f"HOST={host} 无法使用（{e.strerror or e}）：应为本机的地址，如 127.0.0.1 或 0.0.0.0", file=sys.stderr)
        return 2
    if not free:
        other = free_port_near(host, port)
        hint = f"，如 make serve PORT={other}" if other else ""
        print(
            f"端口 {port} 已被占用（可能是另一个 make serve 还在运行）：请先停止它，或换一个端口{hint}。",
            file=sys.stderr,
        )
        return 1
    print(f"正在构建网站（约半分钟），完成后在浏览器打开 http://{host}:{port}/ （Ctrl+C 停止）", flush=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"{host}:{port}"]
    try:
        return subprocess.run(command, env=env).returncode
    except KeyboardInterrupt:
        print("\n已停止。")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
