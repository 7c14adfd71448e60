import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useUiStateStore } from './ui-state'

/** The views, in the sidebar's order; `coming` marks those built in a later version. */
export const VIEWS = [
  { id: 'devices', label: 'Devices', coming: false },
  { id: 'flash', label: 'Flash', coming: false },
  { id: 'configure', label: 'Configure', coming: false },
  { id: 'commission', label: 'Commission', coming: false },
  { id: 'monitor', label: 'Monitor', coming: false },
  { id: 'ice', label: 'ICE', coming: false },
  { id: 'traffic', label: 'Traffic', coming: false },
  { id: 'lab', label: 'Lab', coming: false },
] as const
export type ViewId = (typeof VIEWS)[number]['id']

function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '')
  return VIEWS.find((view) => view.id === id)?.id ?? 'devices'
}

/**
 * Which view is shown: in the URL hash, so a reload or a bookmark keeps its place, and in the
 * stored view inputs, so PairKit opens where the technician left it.
 */
export const useNavigationStore = defineStore('navigation', () => {
  const current = ref<ViewId>(viewFromHash(window.location.hash))
  window.addEventListener('hashchange', () => (current.value = viewFromHash(window.location.hash)))
  function go(id: ViewId): void {
    current.value = id
    window.location.hash = `#/${id}`
  }

  /** The view left last, when the address names none. */
  async function restore(): Promise<void> {
    const named = window.location.hash.replace(/^#\/?/, '') !== ''
    await useUiStateStore().keep('nav.view', current, (id) => id, (kept) => {
      const view = VIEWS.find((candidate) => candidate.id === kept)
      if (view && !named) go(view.id)
    })
  }

  return { current, go, restore }
})
