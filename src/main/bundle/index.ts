// Loading firmware bundles from disk; the model and validation are in src/common/bundle.
export { loadBuildDirectory, loadBundle, loadZip, type LoadBundleOptions } from './load-bundle'
export { MAX_FILE_BYTES, readFileCapped, readInputFile, readZipEntries } from './read-files'
export { validateBundle, throwIfBundleInvalid, type Bundle, type BundleReport } from '../../common/bundle'
