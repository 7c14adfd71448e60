#!/usr/bin/env bash
# Outside check of the virtual ESP32: tools PairKit did not write talk to `pairkit twin`.
#  1. pyserial (Debian python3-serial): RFC 2217 negotiation, classic and hard reset, ROM
#     SYNC and register reads over rfc2217:// and socket://.
#  2. Espressif's esptool.py v4 over rfc2217:// (default reset) and socket://: chip_id,
#     read_mac, flash_id, write_flash at 921600 with and without the stub, verify_flash,
#     read_flash, erase_region. Needs esptool on PATH (or ESPTOOL="python3 -m esptool").
# Usage: scripts/outside-check-twin.sh [esp32|esp32s3|esp32c3]
set -euo pipefail
cd "$(dirname "$0")/.."
CHIP="${1:-esp32}"
PY="${PYTHON:-/usr/bin/python3}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$CHIP" in
  esp32) MAGIC=0x00f01d83 ;;
  esp32s3) MAGIC=0x00000009 ;;
  esp32c3) MAGIC=0x6921506f ;;
  *) echo "unknown chip $CHIP" >&2; exit 2 ;;
esac

# Runs in this shell (not a $(…) subshell) so the PID lands in PIDS and is killed on exit.
start_twin() { # $1 = listen URL, $2 = flash file; sets TWIN_URL
  local out="$WORK/twin-$RANDOM.out"
  node bin/pairkit.js twin --chip "$CHIP" --flash "$2" --listen "$1" --json >"$out" 2>"$out.err" &
  PIDS+=($!)
  for _ in $(seq 150); do
    if [ -s "$out" ]; then TWIN_URL="$(sed -n '1s/.*"url":"\([^"]*\)".*/\1/p' "$out")"; return 0; fi
    sleep 0.1
  done
  echo "twin did not start: $(cat "$out.err")" >&2
  return 1
}

start_twin rfc2217://127.0.0.1:0 "$WORK/rfc.bin"
RFC_URL="$TWIN_URL"
start_twin socket://127.0.0.1:0 "$WORK/sock.bin"
SOCK_URL="$TWIN_URL"
echo "twins: $RFC_URL $SOCK_URL"

if "$PY" -c 'import serial' 2>/dev/null; then
  echo "== pyserial checks =="
  "$PY" scripts/outside-check-twin.py "$RFC_URL" "$SOCK_URL" "$MAGIC"
else
  echo "FAIL pyserial is missing: apt-get install python3-serial" >&2
  exit 1
fi

ESPTOOL="${ESPTOOL:-}"
if [ -z "$ESPTOOL" ]; then
  if command -v esptool.py >/dev/null; then ESPTOOL=esptool.py
  elif command -v esptool >/dev/null; then ESPTOOL=esptool
  elif "$PY" -c 'import esptool' 2>/dev/null; then ESPTOOL="$PY -m esptool"
  fi
fi
if [ -z "$ESPTOOL" ]; then
  echo "MISSING esptool.py: install Espressif's esptool v4 (e.g. pip install 'esptool<5') to run the esptool part"
  exit 3
fi
echo "== esptool: $($ESPTOOL version 2>/dev/null | tail -1) =="

# Random data that does not start with 0xE9: esptool parses a file starting with the image
# magic as a firmware image, which random bytes are not.
{ printf '\000'; head -c 65535 /dev/urandom; } >"$WORK/a.bin"
{ printf '\000'; head -c 99999 /dev/urandom; } >"$WORK/b.bin"
for URL in "$RFC_URL" "$SOCK_URL"; do
  run() { echo "+ esptool --port $URL $*"; $ESPTOOL --chip "$CHIP" --port "$URL" "$@"; }
  run chip_id
  run read_mac
  run flash_id
  run --baud 921600 write_flash 0x10000 "$WORK/a.bin"
  run --baud 921600 --no-stub write_flash 0x30000 "$WORK/b.bin"
  run verify_flash 0x10000 "$WORK/a.bin" 0x30000 "$WORK/b.bin"
  run read_flash 0x30000 100000 "$WORK/read.bin"
  cmp "$WORK/read.bin" "$WORK/b.bin"
  run erase_region 0x10000 0x10000
  run read_flash 0x10000 4096 "$WORK/erased.bin"
  cmp "$WORK/erased.bin" <(head -c 4096 /dev/zero | tr '\0' '\377')
done
echo "outside check passed"
