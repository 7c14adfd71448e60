// Where the Electron entry (out/main/index.js) finds the other two bundles of the build,
// relative to its own folder. The packaging test checks these against the build and the
// desktop package configuration.
export const RENDERER_PAGE = '../renderer/index.html'
export const PRELOAD_SCRIPT = '../preload/index.cjs'
