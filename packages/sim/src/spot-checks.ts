import type { ResultEnvelope, TallyContext } from '@p2pc/market'
import { hash32 } from './random.ts'

const SALT_CHECK = 0x63686b21

/**
 * Whether the publisher checks a task itself: a fixed fraction of the tasks, drawn from the
 * seed. Contributors cannot tell which: the publisher keeps its answer until the task is settled.
 */
export function isSpotChecked(seed: number, rate: number, task: number): boolean {
  return rate > 0 && hash32(seed ^ SALT_CHECK, task) / 2 ** 32 < rate
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
