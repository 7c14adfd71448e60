import type { Rule } from 'eslint'

export interface Layer {
  name: string
  paths: string[]
  may: string[]
  types?: string[]
  files?: string[]
  packages: string[]
  node: boolean
}

export function layerOf(file: string, layers?: Layer[]): Layer | undefined
export function violation(file: string, specifier: string, typeOnly: boolean, layers?: Layer[]): string | undefined
declare const rule: Rule.RuleModule
export default rule
