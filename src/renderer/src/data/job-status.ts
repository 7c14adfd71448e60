// A flasher job's state in one line — waiting, connecting, writing 40 %, done, failed at 63 % —
// for every job the page shows: a flash, a probe, a pair-settings write.
import type { FlashJob } from '../../../common/contract'
import { asSentence } from './error-view'

type ProgressJob = FlashJob & { type: 'progress' }

const PHASES: Record<string, string> = { write: 'Writing', verify: 'Verifying', erase: 'Erasing', read: 'Reading' }
const DONE: Record<FlashJob['operation'], string> = {
  flash: 'Written and verified by MD5',
  provision: 'Written and verified by MD5',
  probe: 'Probed',
  erase: 'Erased',
  'read-flash': 'Read and verified by MD5',
}

const where = (progress: ProgressJob) => `${PHASES[progress.phase]?.toLowerCase() ?? progress.phase}${progress.region?.name ? ` ${progress.region.name}` : ''}`

export function jobStatus(job: FlashJob | undefined, lastProgress?: ProgressJob): string {
  if (!job) return 'Starting…'
  switch (job.type) {
    case 'queued':
      return 'Waiting…'
    case 'connecting':
      return `${asSentence(job.stage).replace(/\.$/, '')}…`
    case 'progress': {
      const rate = `${(job.bytesPerSecond / 1024).toFixed(1)} KiB/s`
      const eta = job.etaSeconds !== undefined ? `, ${Math.ceil(job.etaSeconds)} s left` : ''
      return `${PHASES[job.phase] ?? job.phase}${job.region?.name ? ` ${job.region.name}` : ''}: ${job.percent.toFixed(0)} %, ${rate}${eta}`
    }
    case 'done':
      return DONE[job.operation]
    case 'failed':
      if (lastProgress) return `Failed at ${lastProgress.percent.toFixed(0)} % while ${where(lastProgress)}`
      return job.operation === 'probe' ? 'Failed' : 'Failed before writing'
    case 'cancelled':
      return lastProgress ? `Cancelled at ${lastProgress.percent.toFixed(0)} %` : 'Cancelled'
    default:
      return ''
  }
}

export function isActiveJob(job: FlashJob | undefined): boolean {
  return job !== undefined && (job.type === 'queued' || job.type === 'connecting' || job.type === 'progress')
}
