import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { browserHostContentSecurityPolicy, CONTENT_SECURITY_POLICY, withMetaPolicy } from '../../../src/main/security'
import { REPO_ROOT } from '../../support/processes'

const directives = (policy: string) =>
  Object.fromEntries(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  )

describe('Content-Security-Policy', () => {
  const policy = directives(CONTENT_SECURITY_POLICY)

  it('allows no inline or evaluated script and no remote origin', () => {
    expect(policy['default-src']).toEqual(["'none'"])
    expect(policy['script-src']).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|https?:/)
    for (const values of Object.values(policy)) expect(values).not.toContain('*')
    expect(policy['frame-ancestors']).toEqual(["'none'"])
  })

  it('gives the Electron window no WebSocket (it talks over IPC)', () => {
    expect(policy['connect-src']).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/wss?:/)
  })

  it('gives the browser host only its own WebSocket address, and otherwise the same policy', () => {
    const host = directives(browserHostContentSecurityPolicy('localhost:8080'))
    expect(host['connect-src']).toEqual(["'self'", 'ws://localhost:8080'])
    const { 'connect-src': _hostConnect, ...rest } = host
    const { 'connect-src': _connect, ...expected } = policy
    expect(rest).toEqual(expected)
  })

  it('index.html carries the same policy (less what a meta tag cannot set)', () => {
    const html = readFileSync(path.join(REPO_ROOT, 'src/renderer/index.html'), 'utf8')
    const meta = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)
    expect(meta).not.toBeNull()
    const { 'frame-ancestors': _ignoredInMeta, ...expected } = policy
    expect(directives(meta?.[1] ?? '')).toEqual(expected)
  })

  it("the browser host puts its own policy in index.html's meta tag", () => {
    const html = readFileSync(path.join(REPO_ROOT, 'src/renderer/index.html'), 'utf8')
    const policy = browserHostContentSecurityPolicy('127.0.0.1:8080')
    const rewritten = withMetaPolicy(html, policy)
    const meta = rewritten.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)
    const { 'frame-ancestors': _ignoredInMeta, ...expected } = directives(policy)
    expect(directives(meta?.[1] ?? '')).toEqual(expected)
    const withoutPolicy = (text: string) => text.replace(/(http-equiv="Content-Security-Policy"\s+content=")[^"]*"/, '$1"')
    expect(withoutPolicy(rewritten)).toBe(withoutPolicy(html))
  })
})
