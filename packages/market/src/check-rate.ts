import { UNPROVEN_CHECK_RATE } from './constants.ts'
import type { TaskTally } from './tally.ts'

/**
 * How often the publisher checks a settled task of a job with spot checks at `jobRate`: at that
 * rate where a credible signer holds the winning class, and at least `UNPROVEN_CHECK_RATE` where
 * none does and the job's quorum is 2 or more (a quorum of identities nobody vouches for may be
 * colluders that chose their tasks).
 * A failed task wins nobody anything: the job's rate; a pending one is not checked yet: 0.
 * Checks are not a uniform sample then; they lean to the tasks most likely wrong, which only makes
 * the error bound they give more cautious.
 */
export function checkRateOf(
  jobRate: number,
  quorum: number,
  tally: TaskTally,
  credible: (signer: string) => boolean,
): number {
  if (jobRate <= 0 || tally.status === 'pending') return 0
  if (tally.status === 'failed') return jobRate
  // At quorum 1 a lone answer is all the job asks for: no partners to choose, the job's rate.
  if (quorum < 2 || tally.valid.some(credible)) return jobRate
  return Math.max(jobRate, UNPROVEN_CHECK_RATE)
}
