import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { base64ToBytes, bytesToBase64 } from '../../../common/base64'
import { checkConfig, defaultConfig, SHARED_FIELDS, SITE_FIELDS, type ConfigField, type DeviceConfig } from '../../../common/config'
import type { PairSummary, ReadBack, RequestParams } from '../../../common/contract'
import { onReconnected, useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'
import { saveDownload } from '../data/download'
import { keptPairInputs, restorePairInputs } from '../data/pair-form-inputs'
import { useAppStore } from './app'
import { useUiStateStore } from './ui-state'

type SiteField = (typeof SITE_FIELDS)[number]
type SharedField = (typeof SHARED_FIELDS)[number]
export type SiteForm = Pick<DeviceConfig, SiteField>
export type SharedForm = Pick<DeviceConfig, SharedField>
/** Which part of the form a field is in. */
export type FormPart = 'a' | 'b' | 'shared'

const PASSWORD_FIELDS = ['staPassword', 'apPassword', 'turnPassword'] as const

function pick<K extends ConfigField>(config: DeviceConfig, fields: readonly K[]): Pick<DeviceConfig, K> {
  return Object.fromEntries(fields.map((field) => [field, config[field]])) as Pick<DeviceConfig, K>
}

/** The pair wizard, the pairs made, and read-back of a device's NVS. */
export const useConfigureStore = defineStore('configure', () => {
  const defaults = defaultConfig()
  const siteA = reactive<SiteForm>({ ...pick(defaults, SITE_FIELDS), staSsid: '', staPassword: '', apSsid: '', apPassword: '' })
  const siteB = reactive<SiteForm>({ ...pick(defaults, SITE_FIELDS), staSsid: '', staPassword: '', apSsid: '', apPassword: '' })
  const shared = reactive<SharedForm>(pick(defaults, SHARED_FIELDS))
  const pairs = ref<PairSummary[]>([])
  const busy = ref(false)
  /** Fields the technician has left (or every field, once Create pair was pressed): only these show problems. */
  const touched = ref(new Set<string>())
  const submitted = ref(false)
  const createError = ref<ErrorView>()
  /** Download or record errors, by pair id, shown on that pair's row. */
  const pairErrors = ref<Record<string, ErrorView>>({})
  const listError = ref<ErrorView>()
  const readBack = ref<ReadBack>()
  const readBackFile = ref<string>()
  const readBackError = ref<ErrorView>()
  /** A pair was made from the passwords now in the form: they go when the technician leaves the view. */
  let passwordsUsed = false
  /** Why the passwords given again for a pair were not taken, by pair id. */
  const passwordErrors = ref<Record<string, ErrorView>>({})
  const app = useAppStore()
  /** Whether passwords entered here survive a restart (the backend says where it keeps them). */
  const secretStorage = computed(() => app.info?.secrets)
  let restored = false

  onReconnected(() => void refresh())

  /** Brings back the form's inputs (never its passwords) as they were left, and keeps them from now on. */
  async function restore(): Promise<void> {
    if (restored) return
    restored = true
    await useUiStateStore().keep(
      'configure.pair-form',
      () => ({ a: { ...siteA }, b: { ...siteB }, shared: { ...shared } }),
      (parts) => keptPairInputs(parts),
      (kept) => {
        const parts = (typeof kept === 'object' && kept !== null ? kept : {}) as Record<string, unknown>
        restorePairInputs(siteA, parts.a)
        restorePairInputs(siteB, parts.b)
        restorePairInputs(shared, parts.shared)
      },
    )
  }

  /** Live validation: each site as the device would run it, problems by field. */
  function problemsFor(site: SiteForm, role: 1 | 2): Partial<Record<ConfigField, string>> {
    const check = checkConfig({ ...defaults, ...shared, ...site, role, pairId: '' })
    if (check.ok) return {}
    const byField: Partial<Record<ConfigField, string>> = {}
    for (const issue of check.issues) if (issue.field && !byField[issue.field]) byField[issue.field] = issue.message
    return byField
  }
  const problemsA = computed(() => problemsFor(siteA, 1))
  const problemsB = computed(() => problemsFor(siteB, 2))
  const problemCount = computed(() => {
    const sharedFields = new Set<string>(SHARED_FIELDS)
    const sited = (problems: Partial<Record<ConfigField, string>>) => Object.keys(problems).filter((field) => !sharedFields.has(field)).length
    const sharedCount = SHARED_FIELDS.filter((field) => problemsA.value[field] ?? problemsB.value[field]).length
    return sited(problemsA.value) + sited(problemsB.value) + sharedCount
  })
  const ready = computed(() => problemCount.value === 0)

  function problemOf(part: FormPart, field: ConfigField): string | undefined {
    const problem = part === 'a' ? problemsA.value[field] : part === 'b' ? problemsB.value[field] : (problemsA.value[field] ?? problemsB.value[field])
    return problem && (submitted.value || touched.value.has(`${part}-${field}`)) ? problem : undefined
  }

  function touch(part: FormPart, field: ConfigField): void {
    if (touched.value.has(`${part}-${field}`)) return
    touched.value = new Set(touched.value).add(`${part}-${field}`)
  }

  async function refresh(): Promise<void> {
    try {
      pairs.value = await useBackend().request('config.pairs', {})
      listError.value = undefined
    } catch (caught) {
      listError.value = errorView(caught)
    }
  }

  async function createPair(): Promise<PairSummary | undefined> {
    submitted.value = true
    createError.value = undefined
    if (!ready.value) {
      const count = problemCount.value
      createError.value = { message: `${count} setting${count === 1 ? ' needs' : 's need'} correcting first; ${count === 1 ? 'it is' : 'they are'} marked in red.` }
      return undefined
    }
    busy.value = true
    try {
      const pair = await useBackend().request('config.pair', { siteA: { ...shared, ...siteA }, siteB: { ...shared, ...siteB } })
      // The passwords went to the backend's secret store. They stay in the form, so a second
      // pair or a correction needs no retyping, until the technician leaves this view.
      passwordsUsed = true
      await refresh()
      return pair
    } catch (caught) {
      createError.value = errorView(caught)
      return undefined
    } finally {
      busy.value = false
    }
  }

  /** Called when the technician leaves the view. */
  function leave(): void {
    if (!passwordsUsed) return
    passwordsUsed = false
    for (const site of [siteA, siteB]) {
      site.staPassword = ''
      site.apPassword = ''
    }
    shared.turnPassword = ''
    touched.value = new Set([...touched.value].filter((key) => !PASSWORD_FIELDS.some((field) => key.endsWith(`-${field}`))))
    submitted.value = false
  }

  async function downloadNvs(pairId: string, side: 'a' | 'b'): Promise<void> {
    await forPair(pairId, async () => {
      const file = await useBackend().request('config.nvsImage', { pairId, side })
      saveDownload(file.fileName, base64ToBytes(file.base64) ?? new Uint8Array(), 'application/octet-stream')
    })
  }

  async function exportPair(pairId: string): Promise<void> {
    await forPair(pairId, async () => {
      const file = await useBackend().request('config.exportPair', { pairId })
      saveDownload(file.fileName, new TextEncoder().encode(file.text), 'text/markdown')
    })
  }

  async function forPair(pairId: string, work: () => Promise<void>): Promise<void> {
    const { [pairId]: _previous, ...others } = pairErrors.value
    pairErrors.value = others
    try {
      await work()
    } catch (caught) {
      pairErrors.value = { ...pairErrors.value, [pairId]: errorView(caught) }
    }
  }

  /** Gives a pair its passwords again (lost with a restart when kept in memory only). */
  async function setPasswords(params: RequestParams<'config.setPasswords'>): Promise<boolean> {
    const { [params.pairId]: _previous, ...others } = passwordErrors.value
    passwordErrors.value = others
    try {
      const updated = await useBackend().request('config.setPasswords', params)
      pairs.value = pairs.value.map((pair) => (pair.pairId === updated.pairId ? updated : pair))
      return true
    } catch (caught) {
      passwordErrors.value = { ...passwordErrors.value, [params.pairId]: errorView(caught) }
      return false
    }
  }

  async function readBackImage(name: string, bytes: Uint8Array, pairId?: string): Promise<void> {
    readBackError.value = undefined
    readBack.value = undefined
    readBackFile.value = name
    try {
      readBack.value = await useBackend().request('config.readBack', { nvsBase64: bytesToBase64(bytes), ...(pairId ? { pairId } : {}) })
    } catch (caught) {
      readBackError.value = errorView(caught)
    }
  }

  return {
    siteA, siteB, shared, pairs, busy, createError, pairErrors, passwordErrors, listError, problemsA, problemsB, problemCount, ready,
    readBack, readBackFile, readBackError, secretStorage, problemOf, touch, restore, refresh, createPair, leave, downloadNvs, exportPair, setPasswords, readBackImage,
  }
})
