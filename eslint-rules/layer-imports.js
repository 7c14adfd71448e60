// `pairkit/layer-imports`: every import must be allowed by the importing file's layer in
// eslint-rules/layers.js; anything not listed there is an error (an allow-list, not a ban list).
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LAYERS } from './layers.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BUILTINS = new Set(builtinModules)

/** The layer of a file, or undefined for files no layer covers (configs, docs). */
export function layerOf(file, layers = LAYERS) {
  const relative = path.relative(ROOT, file).split(path.sep).join('/')
  return layers.find((layer) => layer.paths.some((p) => relative === p || relative.startsWith(`${p}/`)))
}

/** 'node' for built-ins, else the package name of a bare specifier ('@scope/name', 'name'). */
function packageOf(specifier) {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) return 'node'
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function describeAllowed(layer) {
  const parts = [...layer.may, ...(layer.types ?? []).map((name) => `types from ${name}`), ...(layer.files ?? []), ...layer.packages]
  if (layer.node) parts.push('Node built-ins')
  return parts.length > 0 ? parts.join(', ') : 'nothing outside itself'
}

/** Why `specifier` may not be imported from `file`, or undefined when it may. */
export function violation(file, specifier, typeOnly, layers = LAYERS) {
  const layer = layerOf(file, layers)
  if (!layer) return undefined
  let what
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = path.resolve(path.dirname(file), specifier)
    const targetLayer = layerOf(target, layers)
    const relative = path.relative(ROOT, target).split(path.sep).join('/')
    if (targetLayer && layer.may.includes(targetLayer.name)) return undefined
    if (targetLayer && typeOnly && (layer.types ?? []).includes(targetLayer.name)) return undefined
    if ((layer.files ?? []).some((allowed) => relative === allowed || relative.replace(/\.[cm]?[jt]s$/, '') === allowed.replace(/\.[cm]?[jt]s$/, ''))) return undefined
    what = targetLayer && targetLayer.name !== relative ? `${targetLayer.name} (${relative})` : relative
  } else {
    const name = packageOf(specifier)
    if (name === 'node' ? layer.node : layer.packages.includes(name)) return undefined
    what = name === 'node' ? `the Node built-in '${specifier}'` : `the package '${name}'`
  }
  return `${layer.name} may not import ${what}; it may import ${describeAllowed(layer)} (eslint-rules/layers.js).`
}

const isTypeOnlyImport = (node) =>
  node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'))

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Imports must be allowed by the layer table in eslint-rules/layers.js' },
    schema: [],
    messages: { layer: '{{reason}}' },
  },
  create(context) {
    const file = context.physicalFilename ?? context.filename
    const check = (node, source, typeOnly) => {
      if (typeof source?.value !== 'string') return
      const reason = violation(file, source.value, typeOnly)
      if (reason) context.report({ node: source, messageId: 'layer', data: { reason } })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal, true),
    }
  },
}
