import type { Layer } from './layer-imports'

export const LAYERS: Layer[]
