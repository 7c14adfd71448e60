// A short human text for an event: the CLI's lines, a view's list, a finding's evidence.
import type { Endpoint, LogEvent } from './events'

export function describeEvent(event: LogEvent): string {
  switch (event.kind) {
    case 'wifi':
      return join(event.event, event.ip, event.mac, event.reason && `(${event.reason})`)
    case 'broker':
      return join(
        event.event,
        event.clientId,
        event.address !== undefined ? endpoint({ address: event.address, port: event.port ?? 0 }) : event.port !== undefined ? `port ${event.port}` : undefined,
        event.version,
        event.reason && `(${event.reason})`,
      )
    case 'signalling':
      return join(event.event, event.reason, event.topic, event.payload !== undefined ? `"${clip(event.payload)}"` : event.description ? '(description)' : undefined, event.url, event.detail)
    case 'description':
      return join(event.side, event.ufrag && `ufrag ${event.ufrag}`, event.candidates !== undefined ? `${event.candidates} candidate(s)` : undefined)
    case 'ice-state':
      return join(event.state, event.peerState !== undefined ? `(esp-peer state ${event.peerState})` : undefined)
    case 'ice':
      return join(
        event.event,
        event.controlling === undefined ? undefined : event.controlling ? 'controlling' : 'controlled',
        event.local && `local ${endpoint(event.local)}`,
        event.remote && `remote ${endpoint(event.remote)}`,
        event.detail,
      )
    case 'candidate':
      return join(event.side, event.type, endpoint(event), event.priority === null ? undefined : `prio ${event.priority}`, event.unusable && `(${event.unusable})`)
    case 'stun':
      return join(event.event, event.host && `${event.host}${event.port === undefined ? '' : `:${event.port}`}`, event.address !== undefined ? endpoint({ address: event.address, port: event.port ?? 0 }) : undefined, event.detail)
    case 'candidate-pair':
      return `#${event.index} ${event.type ?? ''} ${endpoint(event.local)} → ${endpoint(event.remote)}`.replace('  ', ' ')
    case 'selected-pair':
      return event.local ? `${endpoint(event.local)} → ${endpoint(event.remote)}` : `→ ${endpoint(event.remote)}`
    case 'peer':
      return join(event.event, event.label)
    case 'bridge':
      return event.event
    case 'forward':
      return join(event.direction, event.topic, event.payload !== undefined ? `"${clip(event.payload)}"` : undefined)
    case 'drop':
      return join(event.reason, event.direction, event.topic, event.count !== undefined ? `×${event.count}` : undefined)
    case 'error':
      return `${event.tag}: ${event.func ? `${event.func}(${event.line ?? ''}): ` : ''}${event.message}`
    case 'reboot':
      return join(event.cause, event.resetReason && `(${event.resetReason})`, event.announced ? 'announced' : undefined)
    case 'panic':
      return join(event.reason, event.core !== undefined ? `core ${event.core}` : undefined, event.pc && `at ${event.pc}`, event.task && `task ${event.task}`)
    case 'backtrace':
      return `${event.frames.length} frame(s)${event.corrupted ? ', corrupted' : ''}`
    case 'boot':
      return join(event.event, event.version, event.offset !== undefined ? `0x${event.offset.toString(16)}` : undefined, event.key && `${event.key}=${event.value ?? ''}`, event.detail)
    case 'raw':
      return event.text
  }
}

function endpoint(value: Endpoint): string {
  return value.address.includes(':') ? `[${value.address}]:${value.port}` : `${value.address}:${value.port}`
}

function clip(text: string): string {
  const line = text.replace(/\r?\n/g, '⏎')
  return line.length > 60 ? `${line.slice(0, 57)}...` : line
}

function join(...parts: (string | undefined | false | null | 0)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' ')
}
