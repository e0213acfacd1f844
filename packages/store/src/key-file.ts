import { readFile } from 'node:fs/promises'
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { generateKey, type Ed25519PrivateKey } from '@p2pc/protocol'
import { writeFileAtomic } from './atomic-write.ts'
import { InvalidKeyFileError } from './errors.ts'

/**
 * Reads the peer's Ed25519 key from `path`, creating it (owner-only, 0600) on first use.
 * The key is the peer's identity: losing it loses the peer's reputation and credit.
 */
export async function loadOrCreateKey(path: string): Promise<Ed25519PrivateKey> {
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (bytes === undefined) {
    const key = await generateKey()
    if (await writeFileAtomic(path, privateKeyToProtobuf(key), 0o600, { replace: false })) return key
    // Another process created the key a moment ago: that one is the identity, for both.
    return loadOrCreateKey(path)
  }
  let key
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new InvalidKeyFileError(`${path} does not hold a private key: ${(err as Error).message}`, {
      cause: err,
    })
  }
  if (key.type !== 'Ed25519')
    throw new InvalidKeyFileError(`${path} holds a ${key.type} key, not an Ed25519 one`)
  return key
}
