import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { RAW_CODEC, cidOf, parseCid } from '@p2pc/protocol'
import { writeFileAtomic } from './atomic-write.ts'
import { CorruptBlobError } from './errors.ts'
import { diskFullOr } from './transaction.ts'

/** Blobs by CID in one folder: workload bundles, large task inputs and outputs. */
export interface BlobStore {
  /** Stores bytes under their CID (raw codec unless told) and returns the CID; storing twice is harmless. */
  put(bytes: Uint8Array, codec?: number): Promise<string>
  /** The bytes of a CID, checked against it, or undefined when absent. */
  get(cid: string): Promise<Uint8Array | undefined>
  has(cid: string): Promise<boolean>
  /** Where the blob of a CID lies (it may not exist). */
  path(cid: string): string
}

export function folderBlobStore(folder: string): BlobStore {
  let created: Promise<unknown> | undefined
  // parseCid refuses anything but a canonical CID string, so a CID can never name a path outside the folder.
  const path = (cid: string): string => join(folder, parseCid(cid).toString())
  return {
    path,
    async put(bytes, codec = RAW_CODEC) {
      const cid = cidOf(bytes, codec).toString()
      const target = path(cid)
      if (await exists(target)) return cid
      try {
        await (created ??= mkdir(folder, { recursive: true }))
        await writeFileAtomic(target, bytes)
      } catch (err) {
        created = undefined
        throw diskFullOr(err, folder)
      }
      return cid
    },
    async get(cid) {
      const parsed = parseCid(cid)
      let bytes: Uint8Array
      try {
        const buffer = await readFile(path(cid))
        // A plain Uint8Array, like every other byte value in p2pc, not a Node Buffer.
        bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw err
      }
      if (!cidOf(bytes, parsed.code).equals(parsed)) {
        throw new CorruptBlobError(`the stored blob ${cid} does not match its CID`)
      }
      return bytes
    },
    has: async (cid) => exists(path(cid)),
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true
}
