#!/usr/bin/env bash
# 运行测试（首次运行时自动安装依赖）。用法：bash scripts/test.sh [--fast] [pytest 参数]
#   不带参数：运行全部测试（CI 即如此调用），每个 CPU 核一个进程（pytest-xdist，空闲的进程取走别的进程尚未开始的测试）；
#   --fast：跳过标记为 slow、pdf、browser 的测试（约半分钟跑完，单进程），其余参数照样交给 pytest。
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
fast=0
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then fast=1; else args+=("$arg"); fi
done
if [ $fast = 1 ]; then  # the fast tests need neither Chromium, axe-core nor pdftotext
  [ -x .venv/bin/python ] && .venv/bin/python -c "import importlib.util as u, sys; sys.exit(not all(map(u.find_spec, ['generator', 'pytest', 'bs4', 'hypothesis'])))" 2>/dev/null || bash scripts/setup.sh --no-build
  args=(-m "not slow and not pdf and not browser" ${args[@]+"${args[@]}"})
else
  [ -x .venv/bin/python ] && .venv/bin/python -c "import generator, pytest, bs4, playwright, hypothesis, xdist" 2>/dev/null && [ -x /usr/bin/chromium ] && [ -x /usr/sbin/nginx ] && command -v pdftotext >/dev/null && [ -f .venv/node/node_modules/axe-core/axe.min.js ] || bash scripts/setup.sh --no-build
  case " ${args[*]-} " in  # the caller's own -n, or -p no:xdist for one process, wins
    *" -n "*|*" -n"[0-9a]*|*"no:xdist"*) ;;
    *) args=(-n auto --dist worksteal ${args[@]+"${args[@]}"}) ;;
  esac
fi
exec .venv/bin/python -m pytest ${args[@]+"${args[@]}"}
