/**
 * The wire format's rules for values, without its keys, envelopes and ids: what a worker thread
 * loads to check a task's output the way every peer will (`@p2pc/protocol/values`). It stays
 * light, so that a fresh thread starts quickly.
 */
export { MAX_JSON_DEPTH, MAX_OUTPUT_BYTES } from './constants.ts'
export { encode } from './encoding.ts'
export { findNonJson } from './json.ts'
