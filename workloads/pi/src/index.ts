/**
 * @packageDocumentation
 *
 * A seeded Monte Carlo estimate of π: each task throws its own random points into the unit
 * square and reports 4 × (fraction inside the quarter circle); the aggregate is the
 * sample-weighted mean. It is the example of a workload whose outputs are floats.
 */

import { createRandom, defineWorkload } from '@p2pc/sdk'
import {
  CHECK_EVERY,
  DEFAULT_SAMPLES,
  DEFAULT_SEED,
  DEFAULT_TASKS,
  PROGRESS_EVERY,
  TOLERANCE,
} from './constants.ts'

/** Job parameters; every field has a default. */
export interface PiParams {
  /** Random points over all tasks. */
  samples?: number
  tasks?: number
  seed?: string
}

/** One task: its own seed and its share of the samples. */
export interface PiInput {
  seed: string
  samples: number
}

export interface PiOutput {
  samples: number
  estimate: number
}

const MAX_SAMPLES = 1_000_000_000_000
const seed = { type: 'string', maxLength: 200 }

export default defineWorkload({
  params: {
    type: 'object',
    properties: {
      samples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES, default: DEFAULT_SAMPLES },
      tasks: { type: 'integer', minimum: 1, maximum: 100_000, default: DEFAULT_TASKS },
      seed: { ...seed, default: DEFAULT_SEED },
    },
    additionalProperties: false,
  },
  input: {
    type: 'object',
    properties: { seed, samples: { type: 'integer', minimum: 1, maximum: MAX_SAMPLES } },
    required: ['seed', 'samples'],
    additionalProperties: false,
  },
  output: {
    type: 'object',
    properties: {
      samples: { type: 'integer', minimum: 1 },
      estimate: { type: 'number', minimum: 0, maximum: 4 },
    },
    required: ['samples', 'estimate'],
    additionalProperties: false,
  },

  *plan({
    samples = DEFAULT_SAMPLES,
    tasks = DEFAULT_TASKS,
    seed = DEFAULT_SEED,
  }: PiParams = {}): Generator<PiInput> {
    // Never more tasks than samples; the first `samples % count` tasks take one extra.
    const count = Math.min(tasks, samples)
    const share = Math.floor(samples / count)
    for (let task = 0; task < count; task++) {
      yield { seed: `${seed}/${task}`, samples: share + (task < samples % count ? 1 : 0) }
    }
  },

  run({ seed, samples }, ctx): PiOutput {
    const random = createRandom(seed)
    let inside = 0
    for (let i = 1; i <= samples; i++) {
      const x = random.next()
      const y = random.next()
      if (x * x + y * y < 1) inside++
      if (i % CHECK_EVERY === 0) {
        if (ctx.signal.aborted) throw ctx.signal.reason
        if (i % PROGRESS_EVERY === 0) ctx.progress(i / samples)
      }
    }
    return { samples, estimate: (4 * inside) / samples }
  },

  // Floats computed by different CPUs or engines may differ in their last bits: Math.exp,
  // Math.sin and the like are approximations that each engine implements its own way, and
  // contributors run whatever Node they have. This task happens to use only + × ÷, which
  // IEEE 754 rounds identically everywhere, but comparing with a tolerance keeps such noise
  // from failing a task, and the tolerance (see TOLERANCE) still rejects any other hit count.
  equals(a, b): boolean {
    return a.samples === b.samples && Math.abs(a.estimate - b.estimate) <= TOLERANCE
  },

  reduce(results): PiOutput {
    let samples = 0
    let weighted = 0
    for (const { output } of results) {
      samples += output.samples
      weighted += output.estimate * output.samples
    }
    return { estimate: weighted / samples, samples }
  },
})
