import { generateKeyPair, generateKeyPairFromSeed, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { InvalidParametersError, InvalidPublicKeyError } from './errors.ts'

// Key types come from @libp2p/crypto's own signatures, so this package needs no other libp2p dependency.

/** Any libp2p private key. */
export type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>
/** An Ed25519 private key: the only kind that signs p2pc envelopes. */
export type Ed25519PrivateKey = Extract<PrivateKey, { type: 'Ed25519' }>
/** Any libp2p public key. */
export type PublicKey = ReturnType<typeof publicKeyFromProtobuf>
/** An Ed25519 public key. */
export type Ed25519PublicKey = Extract<PublicKey, { type: 'Ed25519' }>

/** Options of {@link generateKey}. */
export interface GenerateKeyOptions {
  /**
   * 32 bytes to derive the key from, for deterministic identities in tests and
   * simulations. Omit it for a fresh random key.
   */
  seed?: Uint8Array
}

/** Length of an Ed25519 public key in libp2p's protobuf form: 4 header bytes and 32 key bytes. */
const ED25519_PROTOBUF_LENGTH = 36
/** Protobuf header of an Ed25519 public key: field 1 (KeyType) = 1 (Ed25519), field 2 (Data), 32 bytes long. */
const ED25519_PROTOBUF_HEADER = [0x08, 0x01, 0x12, 0x20]

/**
 * Generates an Ed25519 private key, a peer's identity.
 *
 * @throws InvalidParametersError when `options.seed` is not 32 bytes
 */
export async function generateKey(options: GenerateKeyOptions = {}): Promise<Ed25519PrivateKey> {
  const { seed } = options
  if (seed === undefined) return generateKeyPair('Ed25519')
  if (!(seed instanceof Uint8Array) || seed.byteLength !== 32) {
    throw new InvalidParametersError('options.seed must be a Uint8Array of 32 bytes')
  }
  return generateKeyPairFromSeed('Ed25519', seed)
}

/** The peer id string (`12D3KooW…`) of a key pair, from its private or public half: the signer id of its envelopes. */
export function peerIdOf(key: PrivateKey | PublicKey): string {
  const publicKey = 'publicKey' in key ? key.publicKey : key
  return peerIdFromPublicKey(publicKey).toString()
}

/**
 * Parses a protobuf-encoded public key that must be Ed25519. The header is
 * checked before any parsing, so a hostile RSA key costs nothing.
 *
 * @throws InvalidPublicKeyError when the bytes are anything else
 */
export function ed25519PublicKeyFromBytes(bytes: Uint8Array): Ed25519PublicKey {
  if (
    bytes.byteLength !== ED25519_PROTOBUF_LENGTH ||
    ED25519_PROTOBUF_HEADER.some((b, i) => bytes[i] !== b)
  ) {
    throw new InvalidPublicKeyError('The public key is not a protobuf-encoded Ed25519 public key')
  }
  let key: PublicKey
  try {
    key = publicKeyFromProtobuf(bytes)
  } catch (err) {
    throw new InvalidPublicKeyError('The public key cannot be parsed', { cause: err })
  }
  if (key.type !== 'Ed25519')
    throw new InvalidPublicKeyError(`Expected an Ed25519 public key, got ${key.type}`)
  return key
}
