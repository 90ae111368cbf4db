#!/usr/bin/env bash
# 运行全部测试（首次运行时自动安装依赖）。用法：bash scripts/test.sh [pytest 参数]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] && .venv/bin/python -c "import generator, pytest, bs4, playwright" 2>/dev/null && [ -x /usr/bin/chromium ] && command -v pdftotext >/dev/null && [ -f .venv/node/node_modules/axe-core/axe.min.js ] || bash scripts/setup.sh --no-build
exec .venv/bin/python -m pytest "$@"
