// Private answers on the wire (JobAnnounce.answers = 'private'): each answer travels encrypted to
// the job's answer key, an X25519 key its announce carries, and committed to in the open. Only the
// publisher, which holds the key's private half, can read an answer before its Seal opens it.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { MAX_BOX_LENGTH, MAX_ERROR_LENGTH } from './constants.ts'
import { decode, encode } from './encoding.ts'
import { commitmentOf, failureHashOf, outputHashOf } from './ids.ts'
import { findNonJson } from './json.ts'
import type { Json } from './json.ts'
import type { Opening } from './messages.ts'

// DER headers of a raw X25519 key: node:crypto imports keys by DER, not by their 32 raw bytes.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex')
const KEY_BYTES = 32
const TAG_BYTES = 16
/** AES-256-GCM under a key made for one box only, so one fixed nonce is safe. */
const NONCE = Buffer.alloc(12)

/** The private half of a job's answer key, and its public half as the announce carries it. */
export interface AnswerKeyPair {
  /** base64url of the 32-byte X25519 public key: `JobAnnounce.answerKey`. */
  publicKey: string
  privateKey: KeyObject
}

/** What a box is bound to: a box copied to another task, job or signer opens to nothing. */
export interface BoxContext {
  jobId: string
  task: number
  signer: string
}

/** One answer to box: an output, or the error of a failed run. */
export type PlainAnswer = { output: Json; error?: never } | { error: string; output?: never }

/**
 * The answer key pair of a job, from 32 secret bytes: the publisher derives them from its own
 * key and the job, so that it can read its job's answers again after a restart.
 */
export function answerKeyPair(seed: Uint8Array): AnswerKeyPair {
  if (seed.length !== KEY_BYTES) throw new TypeError('an answer key seed has 32 bytes')
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_X25519, seed]),
    format: 'der',
    type: 'pkcs8',
  })
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return { publicKey: spki.subarray(SPKI_X25519.length).toString('base64url'), privateKey }
}

/**
 * Boxes an answer for the job's publisher: a fresh salt, the commitment to the answer's hash
 * that the Result carries as its `outputHash`, and the box, which holds the answer and the salt.
 *
 * @throws TypeError when `answerKey` is not an X25519 public key in base64url
 */
export function boxAnswer(
  answerKey: string,
  context: BoxContext,
  answer: PlainAnswer,
): { outputHash: string; box: string } {
  const salt = randomBytes(16).toString('hex')
  const hash = answer.error !== undefined ? failureHashOf(answer.error) : outputHashOf(answer.output)
  const plaintext = encode(
    answer.error !== undefined ? { s: salt, e: answer.error } : { s: salt, o: answer.output },
  )
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralPublic = ephemeral.publicKey
    .export({ format: 'der', type: 'spki' })
    .subarray(SPKI_X25519.length)
  const recipient = publicKeyOf(answerKey)
  const key = boxKey(
    diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }),
    ephemeralPublic,
    context,
  )
  const cipher = createCipheriv('aes-256-gcm', key, NONCE)
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
  return {
    outputHash: commitmentOf(hash, context.signer, salt),
    box: Buffer.concat([ephemeralPublic, sealed]).toString('base64url'),
  }
}

/**
 * Opens a private answer with the job's answer key pair: its opening and, for an output, the
 * output. Undefined when the box does not open under this key and context, or holds no answer,
 * or the answer does not open `commitment` (a box copied from another signer's answer).
 */
export function openAnswer(
  keys: AnswerKeyPair,
  context: BoxContext,
  commitment: string,
  box: string,
): { opening: Opening; output: Json | undefined } | undefined {
  if (box.length > MAX_BOX_LENGTH) return undefined
  const bytes = Buffer.from(box, 'base64url')
  if (bytes.length < KEY_BYTES + TAG_BYTES) return undefined
  let plaintext: Uint8Array
  try {
    const ephemeralPublic = bytes.subarray(0, KEY_BYTES)
    const shared = diffieHellman({ privateKey: keys.privateKey, publicKey: publicKeyOf(ephemeralPublic) })
    const decipher = createDecipheriv('aes-256-gcm', boxKey(shared, ephemeralPublic, context), NONCE)
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    plaintext = Buffer.concat([
      decipher.update(bytes.subarray(KEY_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ])
  } catch {
    return undefined
  }
  const answer = answerIn(plaintext)
  if (answer === undefined) return undefined
  const { salt, output, error } = answer
  const outputHash = error !== undefined ? failureHashOf(error) : outputHashOf(output!)
  if (commitmentOf(outputHash, context.signer, salt) !== commitment) return undefined
  const opening: Opening =
    error !== undefined
      ? { signer: context.signer, outputHash, salt, error }
      : { signer: context.signer, outputHash, salt }
  return { opening, output }
}

/** What a box's plaintext says, when it is a well-formed answer. */
function answerIn(plaintext: Uint8Array): { salt: string; output?: Json; error?: string } | undefined {
  let value: unknown
  try {
    value = decode(plaintext)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { s, o, e } = value as { s?: unknown; o?: unknown; e?: unknown }
  if (typeof s !== 'string' || !/^[0-9a-f]{32}$/.test(s)) return undefined
  if (e !== undefined) {
    if (o !== undefined || typeof e !== 'string' || e.length === 0 || e.length > MAX_ERROR_LENGTH)
      return undefined
    return { salt: s, error: e }
  }
  if (o === undefined || findNonJson(o) !== undefined) return undefined
  return { salt: s, output: o as Json }
}

function publicKeyOf(raw: string | Uint8Array): KeyObject {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'base64url') : Buffer.from(raw)
  if (bytes.length !== KEY_BYTES) throw new TypeError('an X25519 public key has 32 bytes')
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, bytes]), format: 'der', type: 'spki' })
}

/** The box's own AES key: from the shared secret, bound to the ephemeral key and the box's context. */
function boxKey(shared: Buffer, ephemeralPublic: Uint8Array, context: BoxContext): Buffer {
  const info = `p2pc/answer-box/1\n${context.jobId}\n${context.task}\n${context.signer}`
  return Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, info, 32))
}
