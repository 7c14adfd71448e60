// Lists serial ports: the system's enumeration (serialport), with a sysfs fallback where
// that enumeration needs udevadm and the machine has none, plus extra paths the user
// asks to watch (PAIRKIT_EXTRA_PORTS), since pseudo-terminals and ser2net links are
// invisible to USB enumeration.
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { SerialPort } from 'serialport'
import type { PortInfo } from '../../common/contract'
import { identifyBridge, formatUsbId, parseUsbId } from '../../common/usb-bridges'
import { matchGlob } from '../../common/glob'

interface RawPort {
  path: string
  vendorId?: string
  productId?: string
  manufacturer?: string
  serialNumber?: string
}

export function describePort(raw: RawPort, source: PortInfo['source']): PortInfo {
  const vid = parseUsbId(raw.vendorId)
  const pid = parseUsbId(raw.productId)
  const bridge = identifyBridge(vid, pid)
  return {
    path: raw.path,
    ...(vid !== undefined ? { vendorId: formatUsbId(vid) } : {}),
    ...(pid !== undefined ? { productId: formatUsbId(pid) } : {}),
    ...(raw.manufacturer ? { manufacturer: raw.manufacturer } : {}),
    ...(raw.serialNumber ? { serialNumber: raw.serialNumber } : {}),
    ...(bridge ? { bridge: bridge.name } : {}),
    likelyEsp32: bridge?.likelyEsp32 ?? false,
    source,
  }
}

export async function listSystemPorts(): Promise<PortInfo[]> {
  let raw: RawPort[]
  try {
    raw = await SerialPort.list()
  } catch (error) {
    if (process.platform !== 'linux') throw error
    raw = await listLinuxPortsFromSysfs()
  }
  return raw.map((port) => describePort(port, 'system'))
}

/** Splits PAIRKIT_EXTRA_PORTS (path-delimiter separated globs, e.g. "/tmp/pk/tty*:/dev/pts/7"). */
export function parseExtraPortPatterns(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(path.delimiter)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
}

/** Expands globs whose wildcards are in the last path segment only (documented in README). */
export async function listExtraPorts(patterns: readonly string[]): Promise<PortInfo[]> {
  const found = new Map<string, PortInfo>()
  for (const pattern of patterns) {
    const dir = path.dirname(pattern)
    const base = path.basename(pattern)
    let names: string[]
    try {
      names = /[*?[]/.test(base) ? await readdir(dir) : [base]
    } catch {
      continue
    }
    for (const name of names.sort()) {
      if (!matchGlob(base, name)) continue
      const full = path.join(dir, name)
      if (await isCharacterDeviceOrLink(full)) found.set(full, describePort({ path: full }, 'extra'))
    }
  }
  return [...found.values()]
}

async function isCharacterDeviceOrLink(file: string): Promise<boolean> {
  try {
    const info = await stat(file)
    return info.isCharacterDevice()
  } catch {
    return false
  }
}

async function listLinuxPortsFromSysfs(): Promise<RawPort[]> {
  const root = '/sys/class/tty'
  let names: string[]
  try {
    names = await readdir(root)
  } catch {
    return []
  }
  const ports: RawPort[] = []
  for (const name of names) {
    // Only ttys backed by a device (USB, PCI, platform UART) are serial ports a user plugs in.
    if (!/^tty(USB|ACM|S|AMA|XRUSB)\d+$/.test(name)) continue
    let deviceDir: string
    try {
      deviceDir = await realpath(path.join(root, name, 'device'))
    } catch {
      continue
    }
    const driver = await readlink(path.join(deviceDir, 'driver')).catch(() => '')
    // Legacy ttyS entries without hardware behind them have the serial8250 driver and no port.
    if (name.startsWith('ttyS') && driver.endsWith('serial8250')) continue
    const usb = await findUsbAncestor(deviceDir)
    ports.push({ path: `/dev/${name}`, ...usb })
  }
  return ports
}

async function findUsbAncestor(dir: string): Promise<Omit<RawPort, 'path'>> {
  for (let current = dir; current !== '/' && current.length > 1; current = path.dirname(current)) {
    const vendorId = await readTrimmed(path.join(current, 'idVendor'))
    if (vendorId === undefined) continue
    return {
      vendorId,
      productId: await readTrimmed(path.join(current, 'idProduct')),
      manufacturer: await readTrimmed(path.join(current, 'manufacturer')),
      serialNumber: await readTrimmed(path.join(current, 'serial')),
    }
  }
  return {}
}

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch {
    return undefined
  }
}
