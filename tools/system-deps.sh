#!/usr/bin/env bash
# Installs the programs the course needs outside Python, where this machine allows it.
#   tools/system-deps.sh course   graphviz's `dot` (draws the computation graphs)
#   tools/system-deps.sh test     the same, plus Chromium for the real-browser tests
# (and Python's venv module where Debian leaves it out).
# On Debian/Ubuntu as root (or with sudo) it installs them with apt-get; elsewhere it
# says exactly what to install and carries on: the course still runs without `dot`
# (graphs are shown as text outlines) and the browser tests say why they cannot run.
set -u
want="${1:-course}"
missing=()
# `python3 -m venv` needs ensurepip, which Debian ships separately as python3-venv
# (python3.11-venv for python3.11, when the Makefile is given PYTHON=python3.11)
python="${PYTHON:-python3}"
case "$(basename "$python")" in
  python3.[0-9]*) venv_pkg="$(basename "$python")-venv" ;;
  *) venv_pkg=python3-venv ;;
esac
if ! command -v "$python" >/dev/null 2>&1; then
  [ "$python" = python3 ] && missing+=(python3 python3-venv)
elif ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1; then
  missing+=("$venv_pkg")
fi
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "$want" = test ] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
  echo "Installing ${missing[*]} with apt-get ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  exit $?
fi

cat <<MSG
Could not install ${missing[*]} automatically (needs apt-get and root). Install by hand:
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  macOS:          brew install graphviz        (and Google Chrome or Chromium for tests)
  Windows:        winget install graphviz      (then reopen the terminal so 'dot' is on PATH)
  conda:          conda install -c conda-forge graphviz
Carrying on without them.
MSG
exit 0
