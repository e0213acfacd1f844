/**
 * @packageDocumentation
 *
 * Protein folding on the 2D HP lattice, in the spirit of Folding@home: each task is an
 * independent replica-exchange Monte Carlo search from its own seed, and the aggregate is the
 * lowest-energy conformation any of them found.
 */

import { defineWorkload } from '@p2pc/sdk'
import { DEFAULT_SEED, DEFAULT_SEQUENCE, DEFAULT_STEPS, DEFAULT_TASKS } from './constants.ts'
import { energy } from './lattice.ts'
import { fold } from './search.ts'
import type { Fold, FoldInput } from './search.ts'

export type { Fold, FoldCheckpoint, FoldInput } from './search.ts'

/** Job parameters; every field has a default. */
export interface HpFoldParams {
  /** Residues from N to C terminus, H (hydrophobic) or P (polar). */
  sequence?: string
  tasks?: number
  /** Monte Carlo steps per task. */
  steps?: number
  seed?: string
}

/** The best conformation of the job. */
export interface HpFoldAggregate extends Fold {
  sequence: string
}

const sequence = { type: 'string', pattern: '^[HP]+$', minLength: 2, maxLength: 1000 }
const steps = { type: 'integer', minimum: 1, maximum: 1_000_000_000 }
const seed = { type: 'string', maxLength: 200 }

export default defineWorkload({
  params: {
    type: 'object',
    properties: {
      sequence: { ...sequence, default: DEFAULT_SEQUENCE },
      tasks: { type: 'integer', minimum: 1, maximum: 100_000, default: DEFAULT_TASKS },
      steps: { ...steps, default: DEFAULT_STEPS },
      seed: { ...seed, default: DEFAULT_SEED },
    },
    additionalProperties: false,
  },
  input: {
    type: 'object',
    properties: { sequence, steps, seed },
    required: ['sequence', 'steps', 'seed'],
    additionalProperties: false,
  },
  output: {
    type: 'object',
    properties: {
      energy: { type: 'integer', maximum: 0 },
      moves: { type: 'string', pattern: '^[UDLR]+$' },
    },
    required: ['energy', 'moves'],
    additionalProperties: false,
  },

  *plan(params: HpFoldParams = {}): Generator<FoldInput> {
    const {
      sequence = DEFAULT_SEQUENCE,
      tasks = DEFAULT_TASKS,
      steps = DEFAULT_STEPS,
      seed = DEFAULT_SEED,
    } = params
    for (let task = 0; task < tasks; task++) yield { sequence, steps, seed: `${seed}/${task}` }
  },

  async run(input, ctx): Promise<Fold> {
    const best = await fold(input, ctx)
    // Costs nothing next to the search: never report an energy the plain definition disagrees with.
    const check = energy(input.sequence, best.moves)
    if (check !== best.energy) throw new Error(`search bug: reported energy ${best.energy}, actual ${check}`)
    return best
  },

  reduce(results): HpFoldAggregate {
    if (results.length === 0) throw new RangeError('hp-fold needs at least one task result')
    // Strictly lower only, so a tie goes to the lowest task index.
    let best = results[0]!
    for (const result of results) if (result.output.energy < best.output.energy) best = result
    return { sequence: best.input.sequence, energy: best.output.energy, moves: best.output.moves }
  },
})
