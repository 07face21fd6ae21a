#!/usr/bin/env bash
# What the tests need besides npm packages, installed from Debian's packages when missing:
# LibreOffice Impress (opens every deck we write), poppler-utils (pdftoppm/pdfimages read its PDFs),
# the fonts its renders need, redis-server (the queue tests), and Chromium (the HTML report is opened in it through playwright-core; never a downloaded browser).
# Used by `npm test` and by .ci/run, so a fresh Debian machine with only Node passes the tests.
set -euo pipefail

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
{ command -v pdfimages >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; } || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The queue tests (issue 15) start their own private redis-server (test/global-redis.ts); the system one is never used.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The metric-compatible open fonts (Carlito = Calibri, Caladea = Cambria, Liberation = Arial, Times New Roman,
# Courier New): without them LibreOffice draws Office fonts in a wider fallback, and the renders that check
# placement and text extents would not be laid out as PowerPoint lays them out.
fonts=$(fc-list : family 2>/dev/null || true)
grep -qi '^carlito' <<<"$fonts" || missing+=(fonts-crosextra-carlito)
grep -qi '^caladea' <<<"$fonts" || missing+=(fonts-crosextra-caladea)
grep -qi '^liberation sans' <<<"$fonts" || missing+=(fonts-liberation2)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "test-deps: the tests need these Debian packages: ${missing[*]}" >&2
  echo "test-deps: install them as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: no apt-get here; install LibreOffice Impress, poppler-utils, redis-server and Chromium (/usr/bin/chromium): missing ${missing[*]}" >&2
  exit 1
fi

echo "test-deps: installing ${missing[*]} from Debian's packages (once; a few minutes)…" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# apt's own chatter (debconf notes and the like) goes to a log shown only if the install fails.
if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "test-deps: apt-get could not install ${missing[*]}" >&2
  exit 1
fi
rm -f "$log"
echo "test-deps: installed ${missing[*]}" >&2
