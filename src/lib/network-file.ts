import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '@p2pc/store'
import { NetworkFileError, UsageError } from '../errors.ts'
import { checkPeerMultiaddr } from './flags.ts'

/** The saved network in the data dir: a JSON array of peer multiaddrs, in the order they were added. */
export const NETWORK_FILE = 'network.json'

/**
 * The peer multiaddrs saved with `p2pc network add`: every peer this data dir brings online
 * joins the swarm through them, besides its `--bootstrap` ones. None when there is no file.
 *
 * @throws NetworkFileError when the file is there but is not a list of peer multiaddrs
 */
export async function readNetwork(dataDir: string): Promise<string[]> {
  const path = join(dataDir, NETWORK_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const damaged = (reason: string, cause?: unknown): NetworkFileError =>
    new NetworkFileError(
      `${path} is not a list of peer multiaddrs (${reason}): fix it, or remove it and add the addresses again with \`p2pc network add\``,
      { cause },
    )
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw damaged((err as Error).message, err)
  }
  if (!Array.isArray(value)) throw damaged('not a JSON array')
  return value.map((entry) => {
    try {
      if (typeof entry !== 'string') throw new UsageError(`${JSON.stringify(entry)} is not a string`)
      return checkPeerMultiaddr(entry)
    } catch (err) {
      throw damaged((err as Error).message, err)
    }
  })
}

/** Adds peer multiaddrs to the saved network, each once, and returns the whole list. */
export async function addToNetwork(dataDir: string, addresses: string[]): Promise<string[]> {
  const network = [...new Set([...(await readNetwork(dataDir)), ...addresses])]
  await writeNetwork(dataDir, network)
  return network
}

/** Removes peer multiaddrs from the saved network (those absent are let be) and returns what is left. */
export async function removeFromNetwork(dataDir: string, addresses: string[]): Promise<string[]> {
  const gone = new Set(addresses)
  const network = (await readNetwork(dataDir)).filter((address) => !gone.has(address))
  await writeNetwork(dataDir, network)
  return network
}

/**
 * Reads a shared list of peer multiaddrs: one a line, `#` starting a comment, blank lines let
 * be, the format a project can publish on a web page and its volunteers save with `--file`.
 *
 * @throws UsageError naming the file, and the line and what is wrong with it
 */
export async function readAddressList(file: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new UsageError(`cannot read the address list ${file}: ${reason}`, { cause: err })
  }
  const addresses: string[] = []
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const address = line.replace(/#.*/, '').trim()
    if (address === '') continue
    try {
      addresses.push(checkPeerMultiaddr(address))
    } catch (err) {
      throw new UsageError(`${file} line ${index + 1}: ${(err as Error).message}`, { cause: err })
    }
  }
  return addresses
}

/** Writes the saved network whole or not at all: a crash never leaves half a list behind. */
async function writeNetwork(dataDir: string, network: string[]): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const bytes = new TextEncoder().encode(`${JSON.stringify(network, null, 2)}\n`)
  await writeFileAtomic(join(dataDir, NETWORK_FILE), bytes, 0o600)
}
