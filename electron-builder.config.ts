// Desktop packages, made by `npm run dist` (scripts/dist.js) into dist/: AppImage and .deb
// for Linux, an NSIS installer for Windows, a DMG for macOS.
import type { Configuration } from 'electron-builder'

/** What goes into the app besides node_modules: the three bundles of `npm run build` and package.json. */
export const PACKAGED_FILES = ['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**']

const config: Configuration = {
  appId: 'io.pairkit.app',
  productName: 'PairKit',
  copyright: 'Copyright © PairKit contributors',
  directories: { output: 'dist', buildResources: 'resources' },
  // An allow-list: sources, tests, docs, scripts and the CLI build stay out. electron-builder
  // adds the production dependencies from node_modules itself, never the devDependencies.
  files: PACKAGED_FILES,
  // serialport's addon is Node-API and ships prebuilt for every platform, so it loads in
  // Electron as it is; rebuilding it would download Electron's headers for nothing.
  npmRebuild: false,
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'resources/icons',
    category: 'Development',
    executableName: 'pairkit',
    synopsis: 'Install, flash, configure and verify pairs of ESP32 bridges',
    maintainer: 'PairKit',
  },
  win: { target: ['nsis'], icon: 'resources/icon.png' },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], icon: 'resources/icon.png', category: 'public.app-category.developer-tools' },
}

export default config
