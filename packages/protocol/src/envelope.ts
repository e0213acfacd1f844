import { DAG_CBOR_CODEC, cidOf } from './cid.ts'
import { MAX_ENVELOPE_BYTES } from './constants.ts'
import {
  DecodingError,
  InvalidEnvelopeError,
  InvalidMessageError,
  InvalidParametersError,
  InvalidSignatureError,
  MessageTooLargeError,
} from './errors.ts'
import { decodeCanonical, encode } from './encoding.ts'
import { signEd25519, verifyEd25519, verifyingKey } from './ed25519.ts'
import type { Ed25519PrivateKey } from './keys.ts'
import type { Message } from './messages.ts'
import { ENVELOPE_DOMAIN } from './names.ts'
import { validateMessage } from './validate.ts'

/** The fields of an envelope as it is encoded (DAG-CBOR) on the wire. */
export interface EnvelopeFields {
  /** Canonical DAG-CBOR bytes of one message. */
  payload: Uint8Array
  /** The signer's Ed25519 public key, protobuf-encoded as in libp2p. */
  publicKey: Uint8Array
  /** Ed25519 signature of {@link ENVELOPE_DOMAIN} followed by the payload. */
  signature: Uint8Array
}

/** An envelope together with what was checked out of it. */
export interface SealedEnvelope<M extends Message = Message> {
  /** The envelope's bytes, as sent and stored. */
  bytes: Uint8Array
  /** CID string (dag-cbor codec) of `bytes`. */
  id: string
  /** The validated message. */
  message: M
  /** Peer id string of the signer. */
  signer: string
}

/** Options of {@link sealEnvelope} and {@link openEnvelope}. */
export interface EnvelopeOptions {
  /**
   * Largest envelope, in bytes, to produce or accept.
   *
   * @default MAX_ENVELOPE_BYTES (256 KiB)
   */
  maxBytes?: number
}

const FIELDS = ['payload', 'publicKey', 'signature'] as const
const DOMAIN = new TextEncoder().encode(ENVELOPE_DOMAIN)
const ED25519_SIGNATURE_LENGTH = 64

/**
 * Validates a message, signs it and wraps it in an envelope.
 *
 * @example
 * ```ts
 * const key = await generateKey()
 * const claim: Claim = { type: 'Claim', v: 1, jobId, tasks: [3, 4], leaseEnd: now + 60_000 }
 * const { bytes, id } = await sealEnvelope(claim, key)
 * // publish `bytes` on jobTopic(jobId); `id` names the envelope in the log
 * ```
 *
 * @throws InvalidMessageError when the message is not valid, or a JobAnnounce's publisher is not this key
 * @throws MessageTooLargeError when the envelope would exceed `options.maxBytes`: send the big part by CID
 * @throws InvalidParametersError when the key is not an Ed25519 private key or an option is invalid
 */
export async function sealEnvelope<M extends Message>(
  message: M,
  privateKey: Ed25519PrivateKey,
  options: EnvelopeOptions = {},
): Promise<SealedEnvelope<M>> {
  const maxBytes = maxBytesOption(options)
  if (privateKey?.type !== 'Ed25519')
    throw new InvalidParametersError('privateKey must be an Ed25519 private key')
  validateMessage(message)
  const payload = encode(message)
  const { publicKey, peerId: signer, signature } = signEd25519(privateKey, signedBytes(payload))
  checkSigner(message, signer)
  const fields: EnvelopeFields = { payload, publicKey, signature }
  const bytes = encode(fields)
  if (bytes.byteLength > maxBytes) {
    throw new MessageTooLargeError(
      `The envelope would be ${bytes.byteLength} bytes, over the ${maxBytes} limit`,
    )
  }
  // Hand back the message as peers will decode it, detached from the caller's object.
  const sealed = decodeCanonical(payload) as M
  return { bytes, id: cidOf(bytes, DAG_CBOR_CODEC).toString(), message: sealed, signer }
}

/**
 * Checks untrusted envelope bytes from the network, cheapest and most
 * fundamental checks first: the size limit (before any decoding), the envelope's
 * structure and canonical form, the Ed25519 public key, the signature, then the
 * payload's canonical form, schema and semantics.
 *
 * @example
 * ```ts
 * try {
 *   const { message, signer, id } = await openEnvelope(bytes)
 *   if (message.type === 'Result') tally(message, signer)
 * } catch (err) {
 *   // err.name is MessageTooLargeError, InvalidEnvelopeError, InvalidPublicKeyError,
 *   // InvalidSignatureError or InvalidMessageError: reject, and penalise the sender
 * }
 * ```
 *
 * @throws MessageTooLargeError when the bytes exceed `options.maxBytes`
 * @throws InvalidEnvelopeError when the bytes are not a canonical `{ payload, publicKey, signature }` map
 * @throws InvalidPublicKeyError when the public key is not Ed25519
 * @throws InvalidSignatureError when the signature does not verify
 * @throws InvalidMessageError when the payload is not a canonical, valid message, or a JobAnnounce's publisher is not the signer
 */
export async function openEnvelope(
  bytes: Uint8Array,
  options: EnvelopeOptions = {},
): Promise<SealedEnvelope> {
  const maxBytes = maxBytesOption(options)
  if (!(bytes instanceof Uint8Array)) throw new InvalidEnvelopeError('An envelope must be a Uint8Array')
  if (bytes.byteLength > maxBytes) {
    throw new MessageTooLargeError(`The envelope is ${bytes.byteLength} bytes, over the ${maxBytes} limit`)
  }
  const fields = envelopeFields(bytes)
  const publicKey = verifyingKey(fields.publicKey)
  if (fields.signature.byteLength !== ED25519_SIGNATURE_LENGTH) {
    throw new InvalidSignatureError(`An Ed25519 signature is 64 bytes, got ${fields.signature.byteLength}`)
  }
  let verified: boolean
  try {
    verified = verifyEd25519(publicKey, signedBytes(fields.payload), fields.signature)
  } catch (err) {
    throw new InvalidSignatureError('The signature cannot be verified', { cause: err })
  }
  if (!verified) throw new InvalidSignatureError()

  let value: unknown
  try {
    value = decodeCanonical(fields.payload)
  } catch (err) {
    if (!(err instanceof DecodingError)) throw err
    throw new InvalidMessageError(`invalid message: the payload is not canonical DAG-CBOR: ${err.message}`, {
      cause: err,
    })
  }
  const message = validateMessage(value)
  const signer = publicKey.peerId
  checkSigner(message, signer)
  return { bytes, id: cidOf(bytes, DAG_CBOR_CODEC).toString(), message, signer }
}

function envelopeFields(bytes: Uint8Array): EnvelopeFields {
  let value: unknown
  try {
    value = decodeCanonical(bytes)
  } catch (err) {
    if (!(err instanceof DecodingError)) throw err
    // Canonical form matters here too: otherwise a relay could re-encode an envelope and give it a new id.
    throw new InvalidEnvelopeError(`The envelope is not canonical DAG-CBOR: ${err.message}`, { cause: err })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEnvelopeError('An envelope must be a map')
  }
  const keys = Object.keys(value)
  const extra = keys.find((key) => !(FIELDS as readonly string[]).includes(key))
  if (extra !== undefined) throw new InvalidEnvelopeError(`An envelope has no field ${JSON.stringify(extra)}`)
  const record = value as Record<string, unknown>
  for (const field of FIELDS) {
    if (!(record[field] instanceof Uint8Array)) {
      throw new InvalidEnvelopeError(`An envelope's ${field} must be bytes`)
    }
  }
  return value as EnvelopeFields
}

function checkSigner(message: Message, signer: string): void {
  if (message.type === 'JobAnnounce' && message.publisher !== signer) {
    throw new InvalidMessageError(
      `invalid JobAnnounce message: /publisher (${message.publisher}) is not the signer (${signer})`,
    )
  }
}

function signedBytes(payload: Uint8Array): Uint8Array {
  const data = new Uint8Array(DOMAIN.byteLength + payload.byteLength)
  data.set(DOMAIN, 0)
  data.set(payload, DOMAIN.byteLength)
  return data
}

function maxBytesOption(options: EnvelopeOptions): number {
  const maxBytes = options.maxBytes ?? MAX_ENVELOPE_BYTES
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new InvalidParametersError('options.maxBytes must be a positive integer')
  }
  return maxBytes
}
