import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/common/seeded-random'
import { topicMatchesFilter } from '../../../src/common/mqtt/topic-filter'

// MQTT 3.1.1 §4.7 and its non-normative examples.
const CASES: [filter: string, topic: string, matches: boolean][] = [
  ['sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['sport/#', 'sport', true],
  ['#', 'sport/tennis', true],
  ['#', '/', true],
  ['sport/tennis/+', 'sport/tennis/player1', true],
  ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['sport/+', 'sport', false],
  ['sport/+', 'sport/', true],
  ['+/+', '/finance', true],
  ['/+', '/finance', true],
  ['+', '/finance', false],
  ['a/+/c', 'a//c', true],
  ['a/b', 'a/b', true],
  ['a/b', 'a/b/', false],
  ['a/b', 'A/b', false],
  ['a/b/#', 'a/bc', false],
  // Wildcards at the start do not match "$" topics (§4.7.2); a "$" filter does.
  ['#', '$SYS/uptime', false],
  ['+/uptime', '$SYS/uptime', false],
  ['$SYS/#', '$SYS/uptime', true],
  ['$SYS/+', '$SYS/uptime', true],
]

/** The same rules written another way: the filter as a regular expression. */
function byRegex(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && /^[+#]/.test(filter)) return false
  const levels = filter.split('/')
  let source = ''
  levels.forEach((level, i) => {
    const sep = i === 0 ? '' : '/'
    if (level === '#') source += i === 0 ? '.*' : `(?:/.*)?`
    else source += sep + (level === '+' ? '[^/]*' : level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  })
  return new RegExp(`^${source}$`).test(topic)
}

describe('MQTT topic filters', () => {
  it.each(CASES)('%s against %s: %s', (filter, topic, matches) => {
    expect(topicMatchesFilter(filter, topic)).toBe(matches)
  })

  it('agrees with a regular-expression reading of the rules on 20 000 random filters and topics', () => {
    const random = seededRandom(0x70f1c)
    const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T
    const words = ['a', 'b', '', '$x', 'sensor']
    for (let i = 0; i < 20_000; i++) {
      const topic = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(words)).join('/')
      const levels = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick([...words, '+', '+']))
      if (random() < 0.3) levels.push('#')
      const filter = levels.join('/')
      expect(topicMatchesFilter(filter, topic), `${filter} against ${topic}`).toBe(byRegex(filter, topic))
    }
  })
})
