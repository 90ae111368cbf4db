#!/usr/bin/env bash
# 一键安装并生成示例站点：系统依赖（中文字体、WeasyPrint 所需库、浏览器测试用的 Chromium）、Python 虚拟环境与依赖、
# 无障碍检查用的 axe-core，然后执行 juesuan build。
# 用法：bash scripts/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '%s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# 1. System packages (Debian/Ubuntu): CJK fonts, WeasyPrint's Pango, venv support; Chromium and npm for tests/test_browser.py.
AXE_VERSION=4.14.1   # axe-core (npm), installed into .venv/node; tests/test_browser.py reads its axe.min.js
AXE_DIR=.venv/node
missing=()
command -v fc-list >/dev/null || missing+=(fontconfig)
fc-list 2>/dev/null | grep -i "Noto Serif CJK\|Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)  # not grep -q: with pipefail, SIGPIPE would count as missing
ldconfig -p 2>/dev/null | grep libpango-1.0 >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)   # pdftotext/pdftoppm: PDF text in tests, PNG previews
[ -x /usr/sbin/nginx ] || missing+=(nginx)                     # tests/test_deploy.py serves the site under a sub-path
axe_installed() { grep -qsF "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; }
axe_installed || command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    say "安装系统依赖：${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "请手动安装：${missing[*]}（本脚本只会用 apt-get 自动安装）" >&2
  fi
fi

# 2. Python virtual environment with the package and its test dependencies; axe-core (npm) in .venv/node.
if [ ! -x .venv/bin/python ]; then
  say "创建 Python 虚拟环境 .venv"
  python3 -m venv .venv
fi
say "安装 Python 依赖"
quiet() { grep -v "is ignored: it is neither a file nor a directory" || true; }  # noise from some pip configs
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | quiet
.venv/bin/python -m pip install -q -e ".[test]" 2>&1 | quiet
if ! axe_installed; then
  say "安装 axe-core $AXE_VERSION（无障碍检查）"
  npm install --prefix "$AXE_DIR" --save-exact --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
fi

# 3. The main job: build the example site.
if [ "${1:-}" != "--no-build" ]; then
  .venv/bin/juesuan build
  say "示例站点已生成：首页 site/index.html，示例部门 site/2023/xianyang-rsj/index.html"
fi
