"""Independent check of the twin with pyserial (Debian python3-serial), no PairKit code:
pyserial's own RFC 2217 client negotiates with the twin, drives DTR/RTS with esptool's
classic reset sequence, and talks the ROM protocol; socket:// is checked the same way.
Usage: outside-check-twin.py rfc2217://127.0.0.1:PORT socket://127.0.0.1:PORT CHIP_MAGIC
"""
import struct
import sys
import time

import serial


def slip(frame):
    return b"\xc0" + frame.replace(b"\xdb", b"\xdb\xdd").replace(b"\xc0", b"\xdb\xdc") + b"\xc0"


def frames(data):
    out = []
    for part in data.split(b"\xc0"):
        if part:
            out.append(part.replace(b"\xdb\xdc", b"\xc0").replace(b"\xdb\xdd", b"\xdb"))
    return out


def drain(port, wait):
    """Everything that arrives within `wait` seconds (socket:// in_waiting is only 0/1)."""
    deadline = time.time() + wait
    data = b""
    while time.time() < deadline:
        port.timeout = max(0.01, deadline - time.time())
        data += port.read(65536)
    return data


def command(port, op, payload=b"", wait=0.3):
    port.reset_input_buffer()
    port.write(slip(struct.pack("<BBHI", 0, op, len(payload), 0) + payload))
    answers = []
    for frame in frames(drain(port, wait)):
        if len(frame) >= 8 and frame[0] == 1 and frame[1] == op:
            answers.append(struct.unpack("<I", frame[4:8])[0])
    return answers


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        sys.exit(1)


def sync_and_magic(port, magic, label):
    sync = command(port, 0x08, b"\x07\x07\x12\x20" + b"\x55" * 32)
    check(len(sync) == 8 and all(v == 0x20120707 for v in sync), f"{label}: SYNC answered 8 times with the ROM value")
    value = command(port, 0x0A, struct.pack("<I", 0x40001000))
    check(value[:1] == [magic], f"{label}: magic register reads 0x{magic:08x}")


def main():
    rfc_url, socket_url, magic = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
    port = serial.serial_for_url(rfc_url, baudrate=115200, timeout=0.5)
    check(True, "rfc2217: pyserial negotiated BINARY/COM-PORT-OPTION and its settings were acknowledged")
    # esptool ClassicReset: EN low, then released with IO0 low, then IO0 released.
    port.dtr = False
    port.rts = True
    time.sleep(0.1)
    port.dtr = True
    port.rts = False
    time.sleep(0.05)
    port.dtr = False
    banner = drain(port, 0.4)
    check(b"waiting for download" in banner and b"boot:" in banner, "rfc2217: classic reset printed the download-mode banner")
    sync_and_magic(port, magic, "rfc2217")
    port.baudrate = 921600
    check(port.baudrate == 921600, "rfc2217: SET-BAUDRATE acknowledged")
    port.baudrate = 115200
    # esptool HardReset: RTS pulse with IO0 high boots from flash.
    port.rts = True
    time.sleep(0.1)
    port.rts = False
    boot = drain(port, 0.6)
    check(b"rst:" in boot and b"SPI_FAST_FLASH_BOOT" in boot, "rfc2217: hard reset booted from flash (ROM banner)")
    port.close()

    port = serial.serial_for_url(socket_url, timeout=0.5)
    sync_and_magic(port, magic, "socket")
    port.close()


main()
