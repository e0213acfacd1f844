import { link, open, rename, rm, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'

/**
 * Writes a file so that a reader, or a restart after kill -9 or power loss, sees either
 * nothing or the whole file: write a temporary file, fsync it, rename it into place, and
 * fsync the folder so the rename itself is durable.
 *
 * With `replace: false` a file already at `path` is kept (see {@link linkIntoPlace}).
 *
 * @returns whether the bytes were written: false when `replace` is false and `path` exists
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  mode = 0o644,
  options: { replace?: boolean } = {},
): Promise<boolean> {
  const temporary = temporaryName(path)
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
  if (options.replace === false) return linkIntoPlace(temporary, path)
  await rename(temporary, path)
  await syncFolder(path)
  return true
}

/** A name beside `path` that no other process or call uses. */
export function temporaryName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
}

/**
 * Gives a finished temporary file the name `path` unless that name is taken, and removes the
 * temporary name. A hard link fails when `path` exists, where a rename would replace it: two
 * processes that create the same file at once (`p2pc id` and `p2pc node` on a new data dir)
 * keep one of the two and both use it, rather than each its own.
 *
 * @returns whether the file took the name: false when `path` existed
 */
export async function linkIntoPlace(temporary: string, path: string): Promise<boolean> {
  try {
    try {
      await link(temporary, path)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') return false
      // A filesystem without hard links (FAT, some FUSE mounts): look, then rename, a narrow race.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code ?? '')) throw err
      if ((await stat(path).catch(() => undefined)) !== undefined) return false
      await rename(temporary, path)
    }
    await syncFolder(path)
    return true
  } finally {
    await rm(temporary, { force: true })
  }
}

/** Makes the creation or rename of `path` durable. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(dirname(path), 'r')
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}
