// Diagnosis of device logs (issue 17): findings with a sentence that says what to do.
export { Diagnoser, diagnose, diagnosePair, DEFAULT_DIAGNOSIS_OPTIONS, type DiagnosisOptions } from './diagnoser'
export { FindingSchema, FindingIdSchema, EvidenceSchema, type Finding, type FindingId, type Evidence } from './finding'
export { LinkTally, linkLoss, linkLossFindings, type LinkSide } from './link-loss'
