// One console's lines in the page: the newest CONSOLE_LINES (older ones leave; every byte stays
// in the backend's spool), and the lines the filter shows, kept up to date as lines arrive so a
// redraw reads only the rows on screen. Plain data, outside Vue's reactivity: a device printing
// 200 KB/s adds 2 000 lines a second, and the view draws at most once per animation frame.
import { ALL_LEVELS, passesFilter, type ConsoleFilter, type ConsoleLine } from './console-line'

/** Lines a console keeps in the page. */
export const CONSOLE_LINES = 20_000

/** What a view draws from: the live lines or a paused copy. */
export interface LineSource {
  readonly length: number
  at(index: number): ConsoleLine | undefined
}

export class ConsoleBuffer implements LineSource {
  private readonly slots: (ConsoleLine | undefined)[]
  /** Numbers of lines since the buffer began: the oldest kept, and the next. */
  private first = 0
  private next = 0
  /** The numbers of the kept lines the filter shows, oldest first, from viewHead on. */
  private view: number[] = []
  private viewHead = 0
  private filterValue: ConsoleFilter = { levels: ALL_LEVELS, tag: '' }
  /** The longest line kept, in characters (for the width of the scrolled area). */
  longest = 0
  /** Bumped by every change, so a view knows when to draw. */
  revision = 0

  constructor(readonly capacity = CONSOLE_LINES) {
    this.slots = new Array<ConsoleLine | undefined>(capacity)
  }

  get filter(): ConsoleFilter {
    return this.filterValue
  }

  /** Lines the filter shows. */
  get length(): number {
    return this.view.length - this.viewHead
  }

  /** Lines kept, shown or not. */
  get kept(): number {
    return this.next - this.first
  }

  /** The index-th line the filter shows, oldest first. */
  at(index: number): ConsoleLine {
    return this.slots[(this.view[this.viewHead + index] as number) % this.capacity] as ConsoleLine
  }

  append(lines: readonly ConsoleLine[]): void {
    if (lines.length === 0) return
    for (const line of lines) {
      if (this.next - this.first === this.capacity) this.evictOldest()
      const number = this.next++
      this.slots[number % this.capacity] = line
      if (line.text.length > this.longest) this.longest = line.text.length
      if (passesFilter(line, this.filterValue)) this.view.push(number)
    }
    this.revision++
  }

  setFilter(filter: ConsoleFilter): void {
    this.filterValue = filter
    this.view = []
    this.viewHead = 0
    for (let number = this.first; number < this.next; number++) {
      if (passesFilter(this.slots[number % this.capacity] as ConsoleLine, filter)) this.view.push(number)
    }
    this.revision++
  }

  /** Every kept line, shown or not, oldest first. */
  all(): ConsoleLine[] {
    const lines: ConsoleLine[] = []
    for (let number = this.first; number < this.next; number++) lines.push(this.slots[number % this.capacity] as ConsoleLine)
    return lines
  }

  /** The lines the filter shows, oldest first. */
  shown(): ConsoleLine[] {
    const lines: ConsoleLine[] = []
    for (let index = 0; index < this.length; index++) lines.push(this.at(index))
    return lines
  }

  clear(): void {
    for (let number = this.first; number < this.next; number++) this.slots[number % this.capacity] = undefined
    this.first = this.next
    this.view = []
    this.viewHead = 0
    this.longest = 0
    this.revision++
  }

  private evictOldest(): void {
    const number = this.first++
    this.slots[number % this.capacity] = undefined
    if (this.view[this.viewHead] === number) {
      this.viewHead++
      // Compacted now and then, so the array does not grow without bound.
      if (this.viewHead > 4096 && this.viewHead * 2 > this.view.length) {
        this.view = this.view.slice(this.viewHead)
        this.viewHead = 0
      }
    }
  }
}

/** A fixed list of lines (a paused console's copy), filtered. */
export class FrozenLines implements LineSource {
  private readonly lines: ConsoleLine[]

  constructor(
    readonly all: readonly ConsoleLine[],
    filter: ConsoleFilter,
  ) {
    this.lines = all.filter((line) => passesFilter(line, filter))
  }

  get length(): number {
    return this.lines.length
  }

  at(index: number): ConsoleLine | undefined {
    return this.lines[index]
  }

  withFilter(filter: ConsoleFilter): FrozenLines {
    return new FrozenLines(this.all, filter)
  }
}

/** The indices of `source`'s lines that contain `query` (any case). */
export function findMatches(source: LineSource, query: string): number[] {
  const needle = query.toLowerCase()
  const matches: number[] = []
  if (needle === '') return matches
  for (let index = 0; index < source.length; index++) {
    if (source.at(index)?.text.toLowerCase().includes(needle)) matches.push(index)
  }
  return matches
}
