/**
 * @packageDocumentation
 *
 * Counts the primes below `upTo`: each task sieves one range of numbers, and the aggregate is
 * the sum of their counts. Exact integers, so redundant results compare byte for byte.
 */

import { defineWorkload } from '@p2pc/sdk'
import { DEFAULT_CHUNK, DEFAULT_UP_TO, MAX_UP_TO, MIN_CHUNK } from './constants.ts'
import { countPrimes } from './sieve.ts'

/** Job parameters; every field has a default. */
export interface PrimesParams {
  /** Count the primes below this. */
  upTo?: number
  /** Numbers per task. */
  chunk?: number
}

/** One task: the numbers from `from` (included) to `to` (excluded). */
export interface PrimesInput {
  from: number
  to: number
}

export interface PrimesOutput {
  count: number
}

export default defineWorkload({
  params: {
    type: 'object',
    properties: {
      upTo: { type: 'integer', minimum: 1, maximum: MAX_UP_TO, default: DEFAULT_UP_TO },
      chunk: { type: 'integer', minimum: MIN_CHUNK, maximum: MAX_UP_TO, default: DEFAULT_CHUNK },
    },
    additionalProperties: false,
  },
  input: {
    type: 'object',
    properties: {
      from: { type: 'integer', minimum: 0, maximum: MAX_UP_TO },
      to: { type: 'integer', minimum: 1, maximum: MAX_UP_TO },
    },
    required: ['from', 'to'],
    additionalProperties: false,
  },
  output: {
    type: 'object',
    properties: { count: { type: 'integer', minimum: 0 } },
    required: ['count'],
    additionalProperties: false,
  },

  *plan({ upTo = DEFAULT_UP_TO, chunk = DEFAULT_CHUNK }: PrimesParams = {}): Generator<PrimesInput> {
    for (let from = 0; from < upTo; from += chunk) yield { from, to: Math.min(from + chunk, upTo) }
  },

  run({ from, to }, ctx): PrimesOutput {
    return { count: countPrimes(from, to, ctx) }
  },

  reduce(results): PrimesOutput {
    return { count: results.reduce((sum, { output }) => sum + output.count, 0) }
  },
})
