import { open, rename, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'

/**
 * Writes a file so that a reader, or a restart after kill -9 or power loss, sees either
 * nothing or the whole file: write a temporary file, fsync it, rename it into place, and
 * fsync the folder so the rename itself is durable.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, mode = 0o644): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const file = await open(temporary, 'wx', mode)
  try {
    await file.writeFile(bytes)
    await file.sync()
  } catch (err) {
    await file.close()
    await rm(temporary, { force: true })
    throw err
  }
  await file.close()
  await rename(temporary, path)
  const folder = await open(dirname(path), 'r')
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}
