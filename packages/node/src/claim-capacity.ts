import { MAX_CLAIM_TASKS } from '@p2pc/protocol'

/**
 * Run time each thread holds claimed ahead of it. Enough that a thread never waits for a claim
 * to be made and its tasks to reach the pool; small next to any lease, and small enough that a
 * peer does not sit on work that others could run.
 */
export const WORK_AHEAD_MS = 500

/** Weight of the newest run time in the running mean. */
const MEAN_WEIGHT = 0.1

/** How much work a contributor holds, as the market's `setCapacity` takes it. */
export interface ClaimCapacity {
  maxActiveClaims: number
  minClaimSize: number
}

/**
 * The claims a contributor holds for its threads, from the mean run time of its tasks: two tasks
 * per thread while nothing is known or tasks are long (one running, one waiting), up to
 * {@link WORK_AHEAD_MS} of work per thread for short ones. It claims again once half its slots
 * are free, so a claim of short tasks carries many of them: one signature and one message for a
 * hundred tasks rather than one each.
 */
export function claimCapacity(threads: number, meanRunMs: number | undefined): ClaimCapacity {
  const perThread =
    meanRunMs === undefined ? 2 : Math.max(2, Math.ceil(WORK_AHEAD_MS / Math.max(meanRunMs, 0.001)))
  const maxActiveClaims = Math.min(MAX_CLAIM_TASKS, threads * perThread)
  return { maxActiveClaims, minClaimSize: Math.max(1, Math.floor(maxActiveClaims / 2)) }
}

/** A running mean of task run times, for {@link claimCapacity}. */
export class RunTimeMean {
  private mean: number | undefined

  add(ms: number): void {
    this.mean = this.mean === undefined ? ms : this.mean + MEAN_WEIGHT * (ms - this.mean)
  }

  get value(): number | undefined {
    return this.mean
  }
}
