// Damage of the kind disks and careless hands do to a data dir, for the tests that must refuse it.
import { readFile, writeFile } from 'node:fs/promises'

/**
 * Flips every bit of the first bytes of each page but the first, where SQLite keeps a page's
 * kind, cell count and cell offsets: the file header is intact, so the database opens, and only
 * reading its pages shows the damage. (Bytes flipped inside a stored value change the value,
 * which no page check can see: the envelopes' own signatures catch that at replay.)
 */
export async function flipPageHeaders(path: string): Promise<void> {
  const bytes = await readFile(path)
  const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16)
  if (bytes.length < 2 * pageSize) throw new Error(`${path} has a single page, nothing to damage`)
  for (let page = pageSize; page < bytes.length; page += pageSize) {
    for (let at = page; at < page + 8; at++) bytes[at] = bytes[at]! ^ 0xff
  }
  await writeFile(path, bytes)
}
