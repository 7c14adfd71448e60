// The design tokens are the only place with colour values, so the light and dark themes
// differ in one file; and every token a rule uses exists, in both themes where it is a colour.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const RENDERER = path.resolve(import.meta.dirname, '../../../src/renderer')
const TOKENS = path.join(RENDERER, 'src/styles/tokens.css')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? filesUnder(file) : [file]
  })
}

const styled = filesUnder(RENDERER).filter((file) => /\.(css|vue|html)$/.test(file))
/** The CSS of a file: a .vue file's <style> blocks and its template (class and style bindings). */
const sourceOf = (file: string) => readFileSync(file, 'utf8')
/** Colour literals: #rgb…#rrggbbaa, rgb()/rgba()/hsl()/hsla()/hwb()/lab()/lch()/oklab()/oklch()/color(). */
const COLOUR_LITERAL = /#[0-9a-f]{3,8}\b(?![-\w])|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/gi

/** What a file would show as a colour, without ids in templates (`#/devices`) and HTML entities. */
function colourLiterals(file: string): string[] {
  let text = sourceOf(file)
  if (file.endsWith('.vue')) text = text.replace(/<script[\s\S]*?<\/script>/g, '') // code may build hash routes
  if (file.endsWith('.html')) text = text.replace(/<meta[^>]*>/g, '')
  return text.match(COLOUR_LITERAL) ?? []
}

describe('design tokens', () => {
  it('keeps colour values in tokens.css only', () => {
    expect(styled.length).toBeGreaterThan(10)
    const offenders = styled.filter((file) => file !== TOKENS).flatMap((file) => colourLiterals(file).map((literal) => `${path.relative(RENDERER, file)}: ${literal}`))
    expect(offenders).toEqual([])
  })

  it('finds a colour literal where one is written (the check can fail)', () => {
    expect('.x { color: #c1392b; background: rgba(0, 0, 0, 0.5) }'.match(COLOUR_LITERAL)).toEqual(['#c1392b', 'rgba('])
    expect('.x { color: var(--color-danger) }'.match(COLOUR_LITERAL)).toBeNull()
  })

  it('defines every token the styles use, and every colour token in the dark theme too', () => {
    const tokens = readFileSync(TOKENS, 'utf8')
    const [light = '', dark = ''] = tokens.split('@media (prefers-color-scheme: dark)')
    const defined = (css: string) => new Set([...css.matchAll(/(--[\w-]+)\s*:/g)].map((match) => match[1]))
    const lightTokens = defined(light)
    const darkTokens = defined(dark)
    const used = new Set(styled.flatMap((file) => [...sourceOf(file).matchAll(/var\((--[\w-]+)/g)].map((match) => match[1])))
    expect([...used].filter((token) => !lightTokens.has(token))).toEqual([])
    const lightColours = [...lightTokens].filter((token) => token?.startsWith('--color-') || token === '--shadow-card')
    expect(lightColours.filter((token) => !darkTokens.has(token))).toEqual([])
  })

  it('has no red accent: the accent and the danger colour differ in both themes', () => {
    const tokens = readFileSync(TOKENS, 'utf8')
    const values = (name: string) => [...tokens.matchAll(new RegExp(`${name}:\\s*([^;]+);`, 'g'))].map((match) => match[1])
    const accents = values('--color-accent')
    const dangers = values('--color-danger')
    expect(accents).toHaveLength(2)
    accents.forEach((accent, index) => expect(accent).not.toBe(dangers[index]))
  })
})
