// Device configuration: the firmware contract, validation, NVS mapping, diff, secrets, pairing.
export * from './contract'
export { deviceConfigSchema, checkConfig, defaultSignallingUri, STRING_LIMITS, WEBRTC_DEFAULT_SIGNALLING_URI, type ConfigIssue, type ConfigCheck } from './schema'
export { configToNvsRows, configToNvsCsv, configToNvsImage, configFromNvsEntries, configFromNvsImage, assertValidConfig, type ConfigProblem, type ConfigReadBack } from './nvs-mapping'
export { diffConfig, redactDifferences, formatConfigDiff, type ConfigDifference } from './diff'
export { REDACTED, MASKED_URL_PASSWORD, URI_FIELDS, redactConfig, redactValue, redactNvsValue, formatConfig, maskUrlPassword, hasUrlPassword } from './redact'
export { provisionPair, pairImages, pairingProblems, newPairId, pairSyncTopic, SITE_FIELDS, SHARED_FIELDS, PAIR_ID_BYTES, type SiteSettings, type RandomBytes, type ProvisionedPair } from './pair'
