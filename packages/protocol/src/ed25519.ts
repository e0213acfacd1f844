import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { ed25519PublicKeyFromBytes, peerIdOf, type Ed25519PrivateKey } from './keys.ts'

// Signing and verifying through Node's KeyObjects, kept per key. @libp2p/crypto builds a new
// KeyObject from JWK on every sign and verify, and deriving a peer id base58-encodes every time:
// together that was most of an envelope's cost. A market peer sees the same few signers over and
// over, so both are done once per key.

/** A signer as its envelopes show it. */
export interface SignerKey {
  /** The public key, protobuf-encoded as in libp2p and in envelopes. */
  publicKey: Uint8Array
  /** The peer id string of the key. */
  peerId: string
}

interface PrivateEntry extends SignerKey {
  keyObject: KeyObject
}

/** Public keys kept at most: beyond it the oldest is forgotten, so hostile signers cannot grow memory. */
const PUBLIC_KEYS_KEPT = 4096

const privateKeys = new WeakMap<Ed25519PrivateKey, PrivateEntry>()
const publicKeys = new Map<string, VerifyingKey>()

/** The signer's public key and peer id, and an Ed25519 signature of `data`. */
export function signEd25519(
  privateKey: Ed25519PrivateKey,
  data: Uint8Array,
): SignerKey & { signature: Uint8Array } {
  let entry = privateKeys.get(privateKey)
  if (entry === undefined) {
    const keyObject = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        // libp2p keeps an Ed25519 private key as its 32-byte seed followed by the public key.
        d: base64url(privateKey.raw.subarray(0, 32)),
        x: base64url(privateKey.publicKey.raw),
      },
    })
    entry = { keyObject, publicKey: publicKeyToProtobuf(privateKey.publicKey), peerId: peerIdOf(privateKey) }
    privateKeys.set(privateKey, entry)
  }
  const signature = new Uint8Array(sign(null, data, entry.keyObject))
  return { publicKey: entry.publicKey, peerId: entry.peerId, signature }
}

/** A public key from an envelope, ready to verify with. */
export interface VerifyingKey {
  keyObject: KeyObject
  peerId: string
}

/**
 * The verifying key of a protobuf-encoded Ed25519 public key, parsed once per key.
 *
 * @throws InvalidPublicKeyError when the bytes are not an Ed25519 public key
 */
export function verifyingKey(publicKey: Uint8Array): VerifyingKey {
  const cacheKey = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString(
    'latin1',
  )
  let entry = publicKeys.get(cacheKey)
  if (entry === undefined) {
    const key = ed25519PublicKeyFromBytes(publicKey)
    const keyObject = createPublicKey({
      format: 'jwk',
      key: { kty: 'OKP', crv: 'Ed25519', x: base64url(key.raw) },
    })
    entry = { keyObject, peerId: peerIdOf(key) }
    if (publicKeys.size >= PUBLIC_KEYS_KEPT) publicKeys.delete(publicKeys.keys().next().value!)
    publicKeys.set(cacheKey, entry)
  }
  return entry
}

/** Whether `signature` is the key's Ed25519 signature of `data`. */
export function verifyEd25519(key: VerifyingKey, data: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, data, key.keyObject, signature)
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}
