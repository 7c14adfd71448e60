// Firmware bundles: what will be written where, checked before anything is written.
// Loading from files lives in src/main/bundle (loadBundle); this part is pure.
export { sortedParts, type Bundle, type BundlePart, type BundlePartKind, type BundleProblem, type BundleProblemCode } from './model'
export { DEFAULT_APP_OFFSET, SECTOR_SIZE, throwIfBundleInvalid, validateBundle, type BundleReport, type ValidateBundleOptions } from './validate-bundle'
export { splitMergedImage, type SplitOptions } from './merged'
export { kindFromName, parseFlasherArgs, type FlasherArgs, type FlasherArgsFile } from './flasher-args'
export { badOffsetInArg, parseFlashOffset, parseOffsetFileArg, type OffsetFileArg } from './offset-list'
export type { FlashSettings } from './flash-settings'
export { formatBundleReport } from './format-bundle'
export { bundleFromFlasherArgs, type BuildFileReader } from './from-build'
export { classifyPart } from './classify'
export { markRawParts } from './raw-parts'
export { bundleSha256 } from './bundle-hash'
