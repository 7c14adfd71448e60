// MQTT topic filters (MQTT 3.1.1 §4.7): "+" matches one level, "#" (last) matches the parent
// level and everything below it, levels may be empty, and a filter starting with a wildcard
// does not match a topic starting with "$" (§4.7.2). Pure functions, no Node APIs.

export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const filterLevels = filter.split('/')
  const topicLevels = topic.split('/')
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i]
    // "#" must be last; it also matches its parent level ("a/#" matches "a").
    if (level === '#') return i === filterLevels.length - 1
    if (i >= topicLevels.length) return false
    if (level !== '+' && level !== topicLevels[i]) return false
  }
  return filterLevels.length === topicLevels.length
}
