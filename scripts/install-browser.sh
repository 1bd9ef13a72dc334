#!/usr/bin/env bash
# Install Debian's Chromium and a CJK font for the browser tests, if they are missing.
# Playwright drives this Chromium (/usr/bin/chromium); its own browser download is not used.
#
# Debian (and Debian containers such as python:3.11-bookworm, which the GitHub workflow uses):
# apt installs `chromium` and `fonts-noto-cjk`. Ubuntu ships Chromium only as a snap, which
# Playwright cannot drive from /usr/bin/chromium: there the script stops and says what to do.
# Not root: apt runs through sudo, if there is one.
#
# DRY_RUN=1 prints what would be run; OS_RELEASE=file reads another os-release (for the tests).
set -euo pipefail
OS_RELEASE=${OS_RELEASE:-/etc/os-release}
run() { if [ "${DRY_RUN:-}" = 1 ]; then echo "would run: $*"; else "$@"; fi; }

if [ -z "${DRY_RUN:-}" ] && [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  exit 0
fi

distro=$( (. "$OS_RELEASE" 2>/dev/null && echo "${ID:-unknown}") || echo unknown)
case "$distro" in
  debian) ;;
  ubuntu)
    echo "浏览器测试需要 Debian 的 chromium 软件包；Ubuntu 只以 snap 提供 Chromium，无法用于测试。" >&2
    echo "请在 Debian 容器中运行（如 docker run -it -v \"\$PWD\":/src -w /src python:3.11-bookworm make test，与 GitHub 工作流相同），" >&2
    echo "或只运行不需要浏览器的测试：make test-core。" >&2
    echo "The browser tests need Debian's chromium package; Ubuntu has Chromium only as a snap. Run in a Debian container (as the GitHub workflow does) or use make test-core." >&2
    exit 1 ;;
  *)
    echo "未识别的系统（$distro）：请自行安装 Chromium 到 /usr/bin/chromium 并安装 Noto CJK 字体，或在 Debian 容器中运行。" >&2
    exit 1 ;;
esac

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
    echo "安装 chromium 和 fonts-noto-cjk 需要管理员权限，将通过 sudo 运行 apt-get。" >&2
  else
    echo "安装 chromium 和 fonts-noto-cjk 需要管理员权限：请以 root 运行 apt-get install chromium fonts-noto-cjk，或安装 sudo。" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
run $SUDO apt-get update -qq
run $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk
