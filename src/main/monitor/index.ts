// The serial monitor: sessions on any link, the hand-over to jobs, the spool on disk.
export { MonitorService, DEFAULT_MONITOR_BAUD, type MonitorEvent, type OpenMonitorInput } from './monitor-service'
export { MARKERS } from './monitor-session'
export { SPOOL_LIMIT_ENV } from './spool-settings'
