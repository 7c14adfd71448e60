import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { base64ToBytes, bytesToBase64 } from '../../../common/base64'
import { checkConfig, defaultConfig, SHARED_FIELDS, SITE_FIELDS, type ConfigField, type DeviceConfig } from '../../../common/config'
import type { AppInfo, PairSummary, ReadBack } from '../../../common/contract'
import { useBackend } from '../api/client'
import { errorView, type ErrorView } from '../data/error-view'
import { saveDownload } from '../data/download'

type SiteField = (typeof SITE_FIELDS)[number]
type SharedField = (typeof SHARED_FIELDS)[number]
export type SiteForm = Pick<DeviceConfig, SiteField>
export type SharedForm = Pick<DeviceConfig, SharedField>

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
  const error = ref<ErrorView>()
  const readBack = ref<ReadBack>()
  const readBackFile = ref<string>()
  /** Whether passwords entered here survive a restart (the backend says where it keeps them). */
  const secretStorage = ref<AppInfo['secrets']>()

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
  const ready = computed(() => Object.keys(problemsA.value).length === 0 && Object.keys(problemsB.value).length === 0)

  async function refresh(): Promise<void> {
    pairs.value = await useBackend().request('config.pairs', {})
    secretStorage.value ??= (await useBackend().request('app.info', {})).secrets
  }

  async function createPair(): Promise<PairSummary | undefined> {
    busy.value = true
    error.value = undefined
    try {
      const pair = await useBackend().request('config.pair', { siteA: { ...shared, ...siteA }, siteB: { ...shared, ...siteB } })
      // Passwords were handed to the backend's secret store; the form does not keep them.
      for (const site of [siteA, siteB]) {
        site.staPassword = ''
        site.apPassword = ''
      }
      shared.turnPassword = ''
      await refresh()
      return pair
    } catch (caught) {
      error.value = errorView(caught)
      return undefined
    } finally {
      busy.value = false
    }
  }

  async function downloadNvs(pairId: string, side: 'a' | 'b'): Promise<void> {
    try {
      const file = await useBackend().request('config.nvsImage', { pairId, side })
      saveDownload(file.fileName, base64ToBytes(file.base64) ?? new Uint8Array(), 'application/octet-stream')
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  async function exportPair(pairId: string): Promise<void> {
    try {
      const file = await useBackend().request('config.exportPair', { pairId })
      saveDownload(file.fileName, new TextEncoder().encode(file.text), 'text/markdown')
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  async function readBackImage(name: string, bytes: Uint8Array, pairId?: string): Promise<void> {
    error.value = undefined
    readBack.value = undefined
    readBackFile.value = name
    try {
      readBack.value = await useBackend().request('config.readBack', { nvsBase64: bytesToBase64(bytes), ...(pairId ? { pairId } : {}) })
    } catch (caught) {
      error.value = errorView(caught)
    }
  }

  return { siteA, siteB, shared, pairs, busy, error, problemsA, problemsB, ready, readBack, readBackFile, secretStorage, refresh, createPair, downloadNvs, exportPair, readBackImage }
})
