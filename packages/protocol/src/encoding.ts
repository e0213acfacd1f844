import * as dagCbor from '@ipld/dag-cbor'
import { DecodingError, EncodingError } from './errors.ts'

/**
 * Encodes a value as canonical DAG-CBOR: map keys are sorted, integers use their
 * shortest form, so equal values give identical bytes whatever their key order.
 *
 * @throws EncodingError when the value holds something DAG-CBOR cannot carry (`undefined`, `NaN`, …)
 */
export function encode(value: unknown): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = dagCbor.encode(value)
  } catch (err) {
    throw new EncodingError(`Cannot encode value as DAG-CBOR: ${messageOf(err)}`, { cause: err })
  }
  // With byte strings inside, the encoder may answer with a view into Node's shared Buffer pool: callers
  // keep and send these bytes, so hand back a plain Uint8Array that owns exactly its bytes.
  const owned =
    Object.getPrototypeOf(bytes) === Uint8Array.prototype &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  return owned ? bytes : new Uint8Array(bytes)
}

/**
 * Decodes DAG-CBOR bytes. The decoder is strict (shortest integers, no
 * indefinite lengths, no duplicate keys) but does not check map key order; use
 * {@link decodeCanonical} for bytes that must be canonical.
 *
 * @throws DecodingError when the bytes are not valid DAG-CBOR (including nesting too deep to decode)
 */
export function decode(bytes: Uint8Array): unknown {
  try {
    return dagCbor.decode(bytes)
  } catch (err) {
    // Deep nesting makes the recursive decoder overflow the stack: a RangeError, reported like any bad input.
    throw new DecodingError(`Bytes are not valid DAG-CBOR: ${messageOf(err)}`, { cause: err })
  }
}

/**
 * Decodes DAG-CBOR bytes and checks they are exactly the canonical encoding of
 * the decoded value, so one value has one byte form and therefore one content id.
 *
 * @throws DecodingError when the bytes are invalid or not canonical
 */
export function decodeCanonical(bytes: Uint8Array): unknown {
  const value = decode(bytes)
  let again: Uint8Array
  try {
    again = dagCbor.encode(value)
  } catch (err) {
    throw new DecodingError(`Bytes decode to a value that cannot be re-encoded: ${messageOf(err)}`, {
      cause: err,
    })
  }
  if (!bytesEqual(again, bytes)) {
    throw new DecodingError('Bytes are not in canonical DAG-CBOR form')
  }
  return value
}

/** True when both byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
