import { NEWCOMER_CLAIM_TASKS, NEWCOMER_LEASE_MS } from './constants.ts'

/**
 * What a claimer's record earns its claims, judged when its claim of a task is first heard:
 * - `established`: it has validated work (or it published the job): a claim holds the job's lease;
 * - `newcomer`: no validated work yet (any fresh key): a few tasks per job, briefly;
 * - `ignored`: blocked, or too many of its claims went unanswered: its claims hold nothing.
 */
export type ClaimStanding = 'established' | 'newcomer' | 'ignored'

/** One claimer's claim of one task, as the market recorded it. */
export interface ClaimSlot {
  /** When the claim was first heard. */
  seenAt: number
  /** The earliest lease end the claimer asked for. */
  leaseEnd: number
  standing: ClaimStanding
  /** Tasks of the job this claimer had claimed before this one: a newcomer's first few hold. */
  rank: number
  /**
   * When the task's current hold began: its first claim heard since a result by a signer with
   * standing or validated work last moved it on, or the claim by a signer with validated work that
   * began it again once the previous hold had run out. Every claim of the task stops holding one lease after it.
   */
  holdStart: number
  /** Set on this peer's own claims, which are never dropped. */
  own?: boolean
}

/** Whether a claim judged so could hold a task at all: a newcomer's first few, anybody else's but the ignored. */
export function claimMayHold(standing: ClaimStanding, rank: number): boolean {
  return standing === 'established' || (standing === 'newcomer' && rank < NEWCOMER_CLAIM_TASKS)
}

/**
 * Until when a claim keeps a task from other contributors. Claims are free hints, so each is
 * bounded three ways: by what its claimer has earned, by one lease from its first hearing, and
 * by one lease from the start of the task's hold. So no set of fresh keys' claims keeps a task
 * from honest contributors for more than one lease between two results that move it on; past
 * that the task is free until a signer with validated work claims it, and a race costs a
 * replica, never the task.
 *
 * @example
 * ```ts
 * const live = claimHoldsUntil(slot, job.leaseMs) > now
 * ```
 */
export function claimHoldsUntil(slot: ClaimSlot, leaseMs: number): number {
  if (!claimMayHold(slot.standing, slot.rank)) return Number.NEGATIVE_INFINITY
  const hold = slot.standing === 'newcomer' ? Math.min(leaseMs, NEWCOMER_LEASE_MS) : leaseMs
  return Math.min(slot.leaseEnd, slot.seenAt + hold, slot.holdStart + leaseMs)
}
