// Reads what a technician drops: files, or folders walked recursively, as
// {path, bytes} with paths relative to the drop (so "build/flasher_args.json" resolves).

export interface DroppedFile {
  path: string
  bytes: Uint8Array
}

/** Files larger than this are refused before reading: no firmware bundle comes near it. */
export const MAX_DROPPED_BYTES = 64 * 1024 * 1024

export async function readFileList(files: FileList): Promise<DroppedFile[]> {
  const result: DroppedFile[] = []
  for (const file of Array.from(files)) {
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath
    result.push({ path: relative || file.name, bytes: await readBytes(file) })
  }
  return result
}

export async function readDroppedItems(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries = Array.from(transfer.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => entry !== null && entry !== undefined)
  if (entries.length === 0) return readFileList(transfer.files)
  const result: DroppedFile[] = []
  let total = 0
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    const here = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
      total += file.size
      if (total > MAX_DROPPED_BYTES) throw new Error(`the drop is larger than ${MAX_DROPPED_BYTES / 1024 / 1024} MiB; drop the build folder or the .bin only`)
      result.push({ path: here, bytes: await readBytes(file) })
    } else if (entry.isDirectory) {
      for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walk(child, here)
    }
  }
  for (const entry of entries) await walk(entry, '')
  return result
}

async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader()
  const all: FileSystemEntry[] = []
  // readEntries returns the listing in chunks; an empty chunk means the end.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (chunk.length === 0) return all
    all.push(...chunk)
  }
}

async function readBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer())
}
