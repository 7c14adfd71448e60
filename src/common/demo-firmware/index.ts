// The demo firmware PairKit makes for its virtual lab: environment-free, from the project's codecs.
export { demoBundle, demoBuildFiles, demoFlasherArgs, demoPartitionTable, DEMO_APP_OFFSET, DEMO_FILES, DEMO_FLASH, DEMO_PARTITIONS, DEMO_TABLE_OFFSET } from './demo-bundle'
export { demoAppImage, demoBootloaderImage, DEMO_APP_VERSION, DEMO_IDF_VERSION, type DemoFirmwareOptions } from './demo-images'
export { DEMO_CHIPS, demoMemory } from './demo-memory'
