import { RAW_CODEC, cidOf, cidOfValue } from './cid.ts'
import type { Json } from './json.ts'
import type { JobAnnounce } from './messages.ts'

/**
 * The id of a job: the CID string (dag-cbor codec, base32) of its announce's
 * canonical encoding. Any change to any field, including the nonce, gives a new id.
 * Pass a validated announce: the id of a malformed one names nothing.
 */
export function jobIdOf(announce: JobAnnounce): string {
  return cidOfValue(announce).toString()
}

/**
 * The `outputHash` of a task failure: the CID string, raw codec, of the error message's UTF-8
 * bytes. An output's hash always has the dag-cbor codec, so no output can share a failure's hash.
 */
export function failureHashOf(error: string): string {
  return cidOf(new TextEncoder().encode(error), RAW_CODEC).toString()
}

/** The `outputHash` of a task output: the CID string of its canonical encoding. */
export function outputHashOf(output: Json): string {
  return cidOfValue(output).toString()
}
