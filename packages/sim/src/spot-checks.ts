import type { ResultEnvelope, TallyContext } from '@p2pc/market'
import { hash32 } from './random.ts'

const SALT_CHECK = 0x63686b21

/**
 * The publisher's secret draw for a task, uniform in [0, 1): it checks the task once settled when
 * the draw is below the rate its market gives (`Market.checkRate`). Contributors cannot tell
 * which: the publisher keeps its answer until the task is settled.
 */
export function spotCheckDraw(seed: number, task: number): number {
  return hash32(seed ^ SALT_CHECK, task) / 2 ** 32
}

/**
 * The tally context for a task's results as a reader sees them: the publisher's spot check among
 * them, if there is one, decides the task (see `TallyContext.checkedHash`).
 */
export function contextWithCheck(
  results: readonly ResultEnvelope[],
  context: TallyContext,
  publisher: string,
): TallyContext {
  for (const result of results) {
    if (result.signer === publisher && result.message.check === true) {
      return { ...context, checkedHash: result.message.outputHash }
    }
  }
  return context
}
