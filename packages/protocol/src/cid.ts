import { createHash } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { encode } from './encoding.ts'
import { InvalidCidError } from './errors.ts'

/** Multicodec of opaque blobs (workload bundles). */
export const RAW_CODEC = raw.code

/** Multicodec of canonical DAG-CBOR values (messages, outputs, input lists). */
export const DAG_CBOR_CODEC = dagCbor.code

/**
 * Multicodec of private answers' commitments (see `commitmentOf`), from the private-use range:
 * a commitment names no content, and no output's or failure's hash can equal one.
 */
export const COMMITMENT_CODEC = 0x300001

/** Multihash code of sha2-256, the only hash p2pc uses. */
export const SHA2_256_CODE = 0x12

const CODEC_NAMES: Record<number, string> = {
  [RAW_CODEC]: 'raw',
  [DAG_CBOR_CODEC]: 'dag-cbor',
  [COMMITMENT_CODEC]: 'commitment',
}

/**
 * The content id of some bytes: a CIDv1 over their sha2-256 digest. Blobs use
 * the raw codec (the default); encoded values use {@link DAG_CBOR_CODEC}.
 * `String(cid)` gives the base32 form that travels in messages.
 */
export function cidOf(bytes: Uint8Array, codec: number = RAW_CODEC): CID {
  // node:crypto rather than multiformats' hasher, whose result type is "maybe a promise": content ids stay synchronous.
  const digest = Digest.create(SHA2_256_CODE, new Uint8Array(createHash('sha256').update(bytes).digest()))
  return CID.createV1(codec, digest)
}

/** The content id of a value's canonical DAG-CBOR encoding (dag-cbor codec). */
export function cidOfValue(value: unknown): CID {
  return cidOf(encode(value), DAG_CBOR_CODEC)
}

/** Options of {@link parseCid}. */
export interface ParseCidOptions {
  /** Multicodec the CID must have, such as {@link RAW_CODEC} or {@link DAG_CBOR_CODEC}; any when omitted. */
  codec?: number
}

/**
 * Parses a CID string as it travels in messages: a CIDv1 over sha2-256, in its
 * canonical lowercase base32 form, so that equal CIDs are equal strings.
 *
 * @throws InvalidCidError when the string is anything else
 */
export function parseCid(text: string, options: ParseCidOptions = {}): CID {
  if (typeof text !== 'string') throw new InvalidCidError('A CID must be a string')
  let cid: CID
  try {
    cid = CID.parse(text)
  } catch (err) {
    throw new InvalidCidError(`Not a CID: ${JSON.stringify(text.slice(0, 80))}`, { cause: err })
  }
  if (cid.version !== 1) throw new InvalidCidError(`Expected a CIDv1, got a CIDv${cid.version}`)
  if (cid.toString() !== text) throw new InvalidCidError(`CID is not in canonical base32 form: ${text}`)
  if (cid.multihash.code !== SHA2_256_CODE || cid.multihash.size !== 32) {
    throw new InvalidCidError(
      `Expected a sha2-256 CID, got multihash code 0x${cid.multihash.code.toString(16)}`,
    )
  }
  if (options.codec !== undefined && cid.code !== options.codec) {
    throw new InvalidCidError(`Expected a ${codecName(options.codec)} CID, got ${codecName(cid.code)}`)
  }
  return cid
}

function codecName(code: number): string {
  return CODEC_NAMES[code] ?? `codec 0x${code.toString(16)}`
}
