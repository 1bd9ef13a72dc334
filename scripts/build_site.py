"""Build the site and put it in place only if the build passed.

`mkdocs build --strict` writes into a fresh folder beside the target; on success that folder
replaces the target, on failure it is deleted and the target is left as it was. A rejected site
(a warning under --strict, a data error) is never left where a publishing step would pick it up.

    python scripts/build_site.py [--site-dir site] [-- extra mkdocs build options]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def readable(folder: Path) -> None:
    """Published files are readable by everyone: a web server running as another user, and
    the Pages artifact, must read them (mkdtemp makes its folder 0700)."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | (0o555 if path.is_dir() else 0o444))


def build(site_dir: Path, extra: list[str], cwd: Path | None = None) -> int:
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    # Quiet when all is well (one line); MkDocs' own output in full when something is wrong.
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging), *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        sys.stderr.write(done.stdout + done.stderr)
        print(f"构建未通过，{site_dir.name}/ 保持原样，没有发布新的网站。", file=sys.stderr)
        return done.returncode
    noted = [line for line in done.stderr.splitlines() if not line.startswith("INFO")]
    if noted:  # anything MkDocs said beyond its progress lines
        sys.stderr.write("\n".join(noted) + "\n")
    readable(staging)
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"网站已构建到 {site_dir.name}/：{pages} 个页面，用时 {time.perf_counter() - started:.1f} 秒。")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    parser.add_argument("extra", nargs="*", help="options passed on to mkdocs build")
    args = parser.parse_args()
    return build(args.site_dir, args.extra)


if __name__ == "__main__":
    sys.exit(main())
