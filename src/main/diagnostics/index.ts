// Live diagnostics: the ICE model and the diagnosis of every monitored device and pair.
export { DiagnosticsService, DIAGNOSTICS_PUSH_MS, type DiagnosticsServiceOptions, type MonitorTrace, type PeerSide } from './diagnostics-service'
