import { defineStore } from 'pinia'
import { ref } from 'vue'

export const VIEWS = [
  { id: 'devices', label: 'Devices' },
  { id: 'flash', label: 'Flash' },
  { id: 'configure', label: 'Configure' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'ice', label: 'ICE' },
  { id: 'traffic', label: 'Traffic' },
  { id: 'lab', label: 'Lab' },
] as const
export type ViewId = (typeof VIEWS)[number]['id']

function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '')
  return VIEWS.find((view) => view.id === id)?.id ?? 'devices'
}

/** Which view is shown; kept in the URL hash so a reload or a bookmark keeps its place. */
export const useNavigationStore = defineStore('navigation', () => {
  const current = ref<ViewId>(viewFromHash(window.location.hash))
  window.addEventListener('hashchange', () => (current.value = viewFromHash(window.location.hash)))
  function go(id: ViewId): void {
    current.value = id
    window.location.hash = `#/${id}`
  }
  return { current, go }
})
