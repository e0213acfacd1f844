/**
 * @packageDocumentation
 *
 * The p2pc work market as a pure state machine. It takes already-verified envelopes
 * and the time, keeps job and task state, tallies results into validated outputs,
 * keeps per-signer reputation and credit, and tells its driver what to do next
 * (persist, claim, run, fetch). No I/O, timers or randomness: the same envelopes give
 * every reader the same answer, and a simulator can run many peers in one process.
 * The tally itself is a set of pure functions over one task's results.
 *
 * @example
 * ```ts
 * import { createMarket } from '@p2pc/market'
 *
 * const market = createMarket({ self: peerId, trust: new Set([publisherId]) })
 * market.receive(envelope, now) // for every verified envelope, in any order
 * market.tick(now) // now and then: expires leases, claims work
 * for (const action of market.takeActions()) driver.carryOut(action)
 * market.outputs(jobId) // validated outputs in task order, ready for reduce
 * ```
 */

export type {
  CancelAction,
  ClaimAction,
  FailedTask,
  FetchAction,
  JobProgress,
  JobView,
  Market,
  MarketAction,
  MarketEnvelope,
  MarketInit,
  PersistAction,
  RunAction,
  SealAction,
  OpenAction,
  TargetAction,
  CheckAction,
  SpotCheckRecord,
  TaskView,
  ValidatedOutput,
} from './types.ts'
export type {
  FailureCause,
  OutputEquals,
  ResultEnvelope,
  TallyContext,
  TallyRules,
  TaskFailure,
  TaskStatus,
  TaskTally,
  Verified,
} from './tally.ts'
export type { BlockRule, ReputationCounts, SignerStats } from './reputation.ts'
export type { ClaimSlot, ClaimStanding } from './claim-hold.ts'
export { createMarket } from './market.ts'
export { checkRateOf } from './check-rate.ts'
export { distinctResults, replicasNeeded, tallyTask, taskTarget } from './tally.ts'
export { defaultBlockRule } from './reputation.ts'
export { fmix32, fnv1a32, rendezvousRank, rendezvousSeed } from './hash.ts'
export { ERROR_BOUND_CONFIDENCE, checksToShow, errorRateBound } from './error-estimate.ts'
export type { CheckedErrors } from './error-estimate.ts'
export {
  BLOCK_MIN_INVALID,
  CREDIBLE_AFTER_CHECKS,
  DEFAULT_MAX_ACTIVE_CLAIMS,
  MAX_CLAIM_SLOTS,
  NEWCOMER_CLAIM_TASKS,
  NEWCOMER_LEASE_MS,
  UNANSWERED_CLAIM_ALLOWANCE,
  UNPROVEN_CHECK_RATE,
} from './constants.ts'
export { claimHoldsUntil, claimMayHold } from './claim-hold.ts'
export { InvalidParametersError, UnknownJobError } from './errors.ts'
