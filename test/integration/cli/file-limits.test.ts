// What the file commands read and write: only regular files up to the largest flash, sizes
// up to the largest flash, and a sentence that says what to do instead of EISDIR or a hang.
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { configFromNvsImage, configToNvsRows } from '../../../src/common/config'
import { generateNvsPartition } from '../../../src/common/nvs'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'
import { FIXTURES } from '../../unit/app-image/fixtures'
import { runPairkit } from '../../unit/cli/cli-capture'

const dir = makeTempDir('pk-file-limits-')
const fx = (relative: string) => path.join(FIXTURES, relative)

describe('special and oversized inputs', () => {
  // In a child process: before the fix, reading /dev/zero never ended.
  it.each([
    ['nvs', 'dump', '/dev/zero'],
    ['partition-table', 'to-csv', '/dev/zero'],
    ['config', 'show', '/dev/zero'],
  ])('%s %s /dev/zero says it is not a regular file, at once', async (...args) => {
    const started = Date.now()
    const child = spawnPairkit(args)
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    const result = await runToEnd(child).finally(() => clearTimeout(timer))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('/dev/zero is not a regular file (a device, a pipe or a socket). Give a file saved on disk.')
    expect(Date.now() - started).toBeLessThan(15_000)
  }, 20_000)

  it('a file larger than the largest flash is not read', async () => {
    const huge = path.join(dir, 'huge.bin')
    writeFileSync(huge, '')
    truncateSync(huge, 129 * 1024 * 1024) // sparse: no disk space used
    const result = await runPairkit(['nvs', 'dump', huge])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${huge} is 135266304 bytes, larger than any flash chip (128 MB)`)
  })

  it('nvs generate takes no SIZE beyond the largest flash (exit 2) and no file row that is a device', async () => {
    for (const size of ['1G', '0x40000000']) {
      const out = path.join(dir, `nvs-${size}.bin`)
      const result = await runPairkit(['nvs', 'generate', fx('nvs/basic.csv'), out, size])
      expect(result.code, size).toBe(2)
      expect(result.stderr).toMatch(/0x8000000 \(128 MB\)/)
      expect(existsSync(out)).toBe(false)
    }
    const csv = path.join(dir, 'device-row.csv')
    writeFileSync(csv, 'key,type,encoding,value\nstorage,namespace,,\nzeros,file,binary,/dev/zero\n')
    const result = await runPairkit(['nvs', 'generate', csv, path.join(dir, 'zeros.bin'), '0x3000'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the file "/dev/zero" named in')
    expect(result.stderr).toContain('is not a regular file')
  })

  it('partition-table to-bin refuses a CSV without partitions and writes nothing', async () => {
    const csv = path.join(dir, 'empty.csv')
    writeFileSync(csv, '# Name, Type, SubType, Offset, Size, Flags\n')
    const out = path.join(dir, 'empty.bin')
    const result = await runPairkit(['partition-table', 'to-bin', csv, out])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the table has no partitions: add at least an nvs and a factory app row')
    expect(existsSync(out)).toBe(false)
  })
})

describe('output paths', () => {
  const folder = path.join(dir, 'out')
  mkdirSync(folder)

  it.each([
    [['nvs', 'generate', fx('nvs/basic.csv'), folder, '0x3000'], 'nvs.bin'],
    [['partition-table', 'to-bin', fx('partition-tables/partitions_singleapp.csv'), folder], 'partition-table.bin'],
    [['partition-table', 'to-csv', fx('partition-tables/partitions_singleapp.bin'), folder], 'partitions.csv'],
    // Checked before the device is even contacted: nothing listens on that port.
    [['read-flash', '--port', 'rfc2217://127.0.0.1:1', '0x8000', '0xc00', folder], 'flash.bin'],
  ])('%j names the folder and suggests a file name', async (args, name) => {
    const result = await runPairkit(args)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${folder} is a folder: give a file name, e.g. ${path.join(folder, name)}. Nothing was written.`)
  })

  it('a missing folder is named', async () => {
    const result = await runPairkit(['partition-table', 'to-bin', fx('partition-tables/partitions_singleapp.csv'), path.join(dir, 'no-such', 'pt.bin')])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`the folder ${path.join(dir, 'no-such')} does not exist. Create it first, or write pt.bin elsewhere.`)
  })
})

describe('config show --intended', () => {
  it('names the image, not the intended file, when the image lacks the TURN password', async () => {
    const site = (name: string) => ({ staSsid: `Plant ${name}`, staPassword: `office-${name}-1234`, apSsid: `sensors-${name}`, apPassword: `sensor-${name}-1234`, turnHost: 'turn.example.net', turnUser: 'tech', turnPassword: 'turn-pass-1234' })
    writeFileSync(path.join(dir, 'A.json'), JSON.stringify(site('a')))
    writeFileSync(path.join(dir, 'B.json'), JSON.stringify(site('b')))
    const pair = await runPairkit(['config', 'pair', '--a', path.join(dir, 'A.json'), '--b', path.join(dir, 'B.json'), '--out', path.join(dir, 'pair')])
    expect(pair.code, pair.stderr).toBe(0)
    const intended = path.join(dir, 'pair', 'a.json')
    expect(JSON.parse(readFileSync(intended, 'utf8'))).toMatchObject({ turnPassword: '••••' })

    // The device's image as written, but without turn_pass.
    const written = configFromNvsImage(new Uint8Array(readFileSync(path.join(dir, 'pair', 'a-nvs.bin')))).config
    const rows = configToNvsRows(written).filter((row) => row.key !== 'turn_pass').map((row) => ({ ...row, line: 0 }))
    const image = path.join(dir, 'no-turn-pass.bin')
    writeFileSync(image, generateNvsPartition(rows, 0x6000).image)

    const result = await runPairkit(['config', 'show', image, '--intended', intended])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toContain('is not a valid configuration')
    expect(result.stderr).toContain(`${image} holds no TURN password, but ${intended} expects one (saved as ••••): provision the device again, e.g. with \`pairkit config pair\``)
    expect(result.stdout).toContain('TURN password: intended "••••", device has ""')
    expect(result.stdout + result.stderr).not.toContain('turn-pass-1234')

    // The same image with its password matches.
    const same = await runPairkit(['config', 'show', path.join(dir, 'pair', 'a-nvs.bin'), '--intended', intended])
    expect(same.code, same.stderr).toBe(0)
  })
})
