import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { UsageError } from '../errors.ts'

const TRUST_FILE = 'trust.json'

/** The publishers trusted with `p2pc trust add`, from the data dir. */
export async function readTrusted(dataDir: string): Promise<string[]> {
  try {
    const value: unknown = JSON.parse(await readFile(join(dataDir, TRUST_FILE), 'utf8'))
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export async function writeTrusted(dataDir: string, peers: string[]): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await writeFile(join(dataDir, TRUST_FILE), `${JSON.stringify([...new Set(peers)].sort(), null, 2)}\n`, {
    mode: 0o600,
  })
}

/** @throws UsageError when the text is not a peer id */
export function checkPeerId(text: string): string {
  try {
    return peerIdFromString(text).toString()
  } catch {
    throw new UsageError(`"${text}" is not a peer id`)
  }
}
