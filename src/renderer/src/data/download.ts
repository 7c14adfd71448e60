/** Saves bytes (or text and bytes in parts) as a file through the browser's download (works in Electron too). */
export function saveDownload(fileName: string, content: Uint8Array | readonly (string | Uint8Array)[], type: string): void {
  const parts = (content instanceof Uint8Array ? [content] : content) as BlobPart[]
  const url = URL.createObjectURL(new Blob(parts, { type }))
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = fileName
  anchor.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
