// Device logs into events (issue 17): the public API for the monitor, the CLI and the views.
export { LogParser, parseLog, type LogParserOptions } from './log-parser'
export { LineSplitter, DEFAULT_LINE_CAP, type LogLine, type LineSink } from './line-splitter'
export { stripAnsi, type AnsiColour } from './ansi'
export {
  LogEventSchema,
  LogFormatSchema,
  IceStateNameSchema,
  CandidateTypeSchema,
  RebootCauseSchema,
  type LogEvent,
  type LogEventKind,
  type LogEventOf,
  type LogFormat,
  type Endpoint,
  type IceStateName,
  type CandidateTypeName,
  type RebootCause,
} from './events'
export { describeEvent } from './describe'
export { peerEventToLogEvents } from './peer-event-adapter'
