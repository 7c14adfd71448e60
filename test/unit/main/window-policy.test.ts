// What the Electron window may do, tested as the plain functions the entry wires in.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { denyPermissionCheck, denyPermissionRequest, isRendererPage, mayOpenExternally } from '../../../src/main/window-policy'

describe('the app page (IPC sender and navigation check)', () => {
  const installs = ['/opt/PairKit/resources/app/out/renderer/index.html', '/opt/Pair#Kit/out/renderer/index.html', '/opt/what?/out/renderer/index.html', '/home/tech/100% done/out/renderer/index.html', '/home/tech/My Apps/Pair Kit/out/renderer/index.html', '/opt/Zürich [v2]/out/renderer/index.html']

  it('recognises the page wherever it is installed, with its hash routes', () => {
    for (const index of installs) {
      const url = pathToFileURL(index).href
      expect(isRendererPage(url, index)).toBe(true)
      expect(isRendererPage(`${url}#/configure`, index)).toBe(true)
    }
  })

  it('takes the page as Chromium writes its address', () => {
    expect(isRendererPage('file:///opt/Pair%23Kit/out/renderer/index.html#/flash', '/opt/Pair#Kit/out/renderer/index.html')).toBe(true)
    expect(isRendererPage('file:///opt/what%3F/out/renderer/index.html', '/opt/what?/out/renderer/index.html')).toBe(true)
    expect(isRendererPage('file:///home/tech/100%25%20done/out/renderer/index.html', '/home/tech/100% done/out/renderer/index.html')).toBe(true)
    expect(isRendererPage('file:///opt/Z%C3%BCrich%20[v2]/out/renderer/index.html', '/opt/Zürich [v2]/out/renderer/index.html')).toBe(true)
  })

  it('would have been missed by pasting the path after file://', () => {
    // What the entry used to expect: everything after the # is taken for a hash.
    const index = '/opt/Pair#Kit/out/renderer/index.html'
    const pasted = new URL(`file://${index}`).href
    expect(pasted).toBe('file:///opt/Pair#Kit/out/renderer/index.html')
    expect(pathToFileURL(index).href).not.toBe(pasted)
  })

  it('refuses any other page or frame', () => {
    const index = '/opt/PairKit/out/renderer/index.html'
    for (const url of [
      undefined,
      '',
      'about:blank',
      'https://docs.espressif.com/',
      'http://127.0.0.1:8080/',
      'file:///opt/PairKit/out/renderer/other.html',
      'file:///opt/PairKit/out/renderer/index.html/..',
      'file:///opt/PairKit/out/renderer/index.htm',
      'file://evil.example/opt/PairKit/out/renderer/index.html',
      'file:///opt/PairKit/out/renderer%2Findex.html',
      'data:text/html,<h1>x</h1>',
      'not a url',
    ]) {
      expect(isRendererPage(url, index), String(url)).toBe(false)
    }
    expect(isRendererPage('file:///opt/PairKit/out/renderer/../renderer/index.html', index)).toBe(true)
    expect(isRendererPage(pathToFileURL(path.resolve('relative/index.html')).href, 'relative/index.html')).toBe(true)
  })
})

describe('permissions', () => {
  it('refuses every permission request and every permission check', () => {
    for (const permission of ['media', 'notifications', 'serial', 'clipboard-read', 'geolocation', 'openExternal']) {
      let granted: boolean | undefined
      denyPermissionRequest(null, permission, (answer) => (granted = answer))
      expect(granted, permission).toBe(false)
    }
    expect(denyPermissionCheck()).toBe(false)
  })
})

describe('links opened in the system browser', () => {
  it('opens https pages of the documentation hosts', () => {
    expect(mayOpenExternally('https://docs.espressif.com/projects/esp-idf/en/stable/esp32/api-reference/storage/nvs_flash.html')).toBe(true)
    expect(mayOpenExternally('https://docs.espressif.com/projects/esptool/en/latest/esp32/#serial-port')).toBe(true)
  })

  it('refuses every other scheme, host, port or credential', () => {
    for (const url of [
      'http://docs.espressif.com/projects/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,x',
      'https://evil.example/',
      'https://docs.espressif.com.evil.example/',
      'https://evil.example/?https://docs.espressif.com/',
      'https://user:pass@docs.espressif.com/',
      'https://docs.espressif.com@evil.example/',
      'https://docs.espressif.com:8443/',
      'smb://docs.espressif.com/share',
      'ms-settings:',
      'not a url',
      '',
    ]) {
      expect(mayOpenExternally(url), url).toBe(false)
    }
  })
})
