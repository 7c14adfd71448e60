// The ICE model (issue 17): per device from its events, and per pair.
export { IceModel, buildIceModel, type IceModelOptions } from './ice-model'
export { joinPair, type IcePairView, type CandidateDelivery, type PairViewPair } from './pair-view'
export { pairPriority, formPairs, comparePriority, type PairingCandidate, type FormedPair } from './pairing'
export {
  IceDeviceModelSchema,
  IceSessionSchema,
  IceStateEntrySchema,
  ModelCandidateSchema,
  ModelPairSchema,
  type IceDeviceModel,
  type IceSession,
  type IceStateEntry,
  type ModelCandidate,
  type ModelPair,
  type IceVariant,
} from './model'
