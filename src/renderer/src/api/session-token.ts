// The browser host's token arrives in the address the host printed (?token=…). Once the
// page has it, it leaves the address bar — where it would be seen over a shoulder, in a
// screenshot or in the history — and stays in this tab's sessionStorage for reloads.

const STORAGE_KEY = 'pairkit.token'

export function takeSessionToken(location: Location, history: History, storage: Storage | undefined): string {
  const url = new URL(location.href)
  const fromAddress = url.searchParams.get('token')
  if (fromAddress === null) return read(storage) ?? ''
  if (!write(storage, fromAddress)) return fromAddress // nowhere to keep it: leave it in the address for reloads
  url.searchParams.delete('token')
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
  return fromAddress
}

function read(storage: Storage | undefined): string | undefined {
  try {
    return storage?.getItem(STORAGE_KEY) ?? undefined
  } catch {
    return undefined
  }
}

function write(storage: Storage | undefined, token: string): boolean {
  try {
    if (!storage) return false
    storage.setItem(STORAGE_KEY, token)
    return true
  } catch {
    return false // storage disabled or full
  }
}
