import { COMMITMENT_CODEC, RAW_CODEC, cidOf, cidOfValue } from './cid.ts'
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

/**
 * The commitment a private answer carries as its `outputHash`: the CID string (commitment codec)
 * of the answer's own hash bound to its signer and salted. Bound to the signer, so that a copy
 * under another key commits to nothing; salted (32 hex digits, secret until the task is settled),
 * so that nobody can find which of a few likely outputs it hides by trying them.
 */
export function commitmentOf(outputHash: string, signer: string, salt: string): string {
  const text = `p2pc/commitment/1\n${outputHash}\n${signer}\n${salt}`
  return cidOf(new TextEncoder().encode(text), COMMITMENT_CODEC).toString()
}
