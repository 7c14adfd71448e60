import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import { base64ToBytes } from '../../../common/base64'
import type { CommissionRecord } from '../../../common/commission/record'
import type { CommissionReport } from '../../../common/commission/report'
import type { CommissionState, CommissionStepId } from '../../../common/commission/steps'
import type { HistoryEntry } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { reportFileName } from '../data/commission-view'
import { saveDownload } from '../data/download'
import { errorView, type ErrorView } from '../data/error-view'
import { emptyInputs, keptInputs, restoreInputs, startParams } from '../data/commission-inputs'
import { useUiStateStore } from './ui-state'

/**
 * The Commission view: its inputs (kept across reloads, never a password), the flow shown, the
 * one door for commission.state, and the chosen pair's commissionings and history. Errors stay
 * next to the action that caused them: start, resume or cancel, and each download.
 */
export const useCommissionStore = defineStore('commission', () => {
  const inputs = reactive(emptyInputs())
  /** The flow shown (kept, so a reload shows it again). */
  const currentId = ref('')
  const flows = ref<Record<string, CommissionState>>({})
  const current = computed(() => (currentId.value ? flows.value[currentId.value] : undefined))
  const records = shallowRef<CommissionRecord[]>([])
  const history = shallowRef<HistoryEntry[]>([])
  const starting = ref(false)
  /** A resume or cancel is on its way. */
  const acting = ref(false)
  const startError = ref<ErrorView>()
  const startField = ref<string>()
  /** Why a resume or a cancel was refused, shown next to that button. */
  const actionError = ref<{ action: 'resume' | 'cancel'; error: ErrorView }>()
  const downloadError = ref<{ commissionId: string; error: ErrorView }>()
  const listError = ref<ErrorView>()
  /** Written reports, by commissioning (the bridge test's result is shown from them). */
  const reports = shallowRef<Record<string, CommissionReport>>({})
  const reportError = ref<{ commissionId: string; error: ErrorView }>()
  let started = false
  let restored = false

  /** Records and history of the chosen pair, newest first. */
  const pairRecords = computed(() => records.value.filter((record) => record.state.pairId === inputs.pairId))

  function start(): void {
    if (started) return
    started = true
    const backend = useBackend()
    backend.on('commission.state', (state) => {
      flows.value = { ...flows.value, [state.commissionId]: state }
      const known = records.value.some((record) => record.state.commissionId === state.commissionId)
      // A new flow, or one that just stopped (its record now has its report): read the records again.
      if (!known || state.status !== 'running') void refreshRecords()
      else records.value = records.value.map((record) => (record.state.commissionId === state.commissionId ? { ...record, state } : record))
    })
    backend.on('history.added', (entry) => {
      if (entry.pair?.pairId !== inputs.pairId || history.value.some((known) => known.id === entry.id)) return
      history.value = [entry, ...history.value]
    })
    onReconnected(() => void refresh())
  }

  /** Brings back the inputs and the flow shown (once per page), then reads the records again. */
  async function restore(): Promise<void> {
    start()
    if (restored) return refresh()
    restored = true
    const ui = useUiStateStore()
    await ui.keep(
      'commission.inputs',
      () => keptInputs(inputs),
      (value) => ({ ...value }),
      (kept) => restoreInputs(inputs, kept),
    )
    await ui.keep('commission.current', currentId, (id) => id, (kept) => {
      if (typeof kept === 'string') currentId.value = kept
    })
    await refresh()
  }

  async function refresh(): Promise<void> {
    await Promise.all([refreshRecords(), refreshHistory()])
  }

  async function refreshRecords(): Promise<void> {
    try {
      const list = await useBackend().request('commission.records', {})
      records.value = list
      // The records hold each flow's last state: what a reload or a restart shows.
      const states = { ...flows.value }
      for (const record of list) if (!states[record.state.commissionId] || record.state.status !== 'running') states[record.state.commissionId] = record.state
      flows.value = states
      listError.value = undefined
    } catch (caught) {
      listError.value = errorView(caught)
    }
  }

  async function refreshHistory(): Promise<void> {
    const pairId = inputs.pairId
    if (!pairId) {
      history.value = []
      return
    }
    try {
      const list = await useBackend().request('history.list', { pairId })
      if (inputs.pairId === pairId) history.value = list
    } catch (caught) {
      listError.value = errorView(caught)
    }
  }

  async function begin(bundleId: string | undefined): Promise<boolean> {
    startError.value = undefined
    startField.value = undefined
    actionError.value = undefined
    const checked = startParams(inputs, bundleId)
    if ('error' in checked) {
      startError.value = checked.error
      startField.value = checked.field
      return false
    }
    starting.value = true
    try {
      const { commissionId } = await useBackend().request('commission.start', checked.params)
      currentId.value = commissionId
      return true
    } catch (caught) {
      startError.value = errorView(caught)
      return false
    } finally {
      starting.value = false
    }
  }

  async function act(action: 'resume' | 'cancel', work: () => Promise<unknown>): Promise<void> {
    actionError.value = undefined
    acting.value = true
    try {
      await work()
    } catch (caught) {
      actionError.value = { action, error: errorView(caught) }
    } finally {
      acting.value = false
    }
  }

  function resume(from?: CommissionStepId): Promise<void> {
    const commissionId = currentId.value
    return act('resume', () => useBackend().request('commission.resume', { commissionId, ...(from ? { from } : {}), notes: inputs.notes }))
  }

  function cancel(): Promise<void> {
    const commissionId = currentId.value
    return act('cancel', () => useBackend().request('commission.cancel', { commissionId }))
  }

  function show(commissionId: string): void {
    currentId.value = commissionId
    actionError.value = undefined
  }

  /** Reads a flow's report once it has one. */
  async function loadReport(state: CommissionState): Promise<void> {
    if (!state.reportId || reports.value[state.commissionId]?.reportId === state.reportId) return
    try {
      const { report } = await useBackend().request('commission.report', { commissionId: state.commissionId })
      reports.value = { ...reports.value, [state.commissionId]: report }
      reportError.value = undefined
    } catch (caught) {
      reportError.value = { commissionId: state.commissionId, error: errorView(caught) }
    }
  }

  async function download(state: CommissionState, kind: 'json' | 'html' | 'zip'): Promise<void> {
    downloadError.value = undefined
    try {
      if (kind === 'zip') {
        const { fileName, base64 } = await useBackend().request('commission.supportBundle', { commissionId: state.commissionId })
        const bytes = base64ToBytes(base64)
        if (!bytes) throw new Error('the support bundle arrived damaged; download it again')
        saveDownload(fileName, bytes, 'application/zip')
        return
      }
      const { report, html } = await useBackend().request('commission.report', { commissionId: state.commissionId })
      if (kind === 'json') saveDownload(reportFileName(state, 'json'), [JSON.stringify(report, null, 1)], 'application/json')
      else saveDownload(reportFileName(state, 'html'), [html], 'text/html')
    } catch (caught) {
      downloadError.value = { commissionId: state.commissionId, error: errorView(caught) }
    }
  }

  return {
    inputs, currentId, current, flows, records, pairRecords, history, reports, starting, acting, startError, startField, actionError, downloadError, listError, reportError,
    start, restore, refresh, refreshHistory, begin, resume, cancel, show, loadReport, download,
  }
})
