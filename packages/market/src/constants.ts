/** Defaults of the market. Bounds that every peer must share live in `@p2pc/protocol`, not here. */

/**
 * Tasks a contributor holds at once (claimed and not yet answered), across all jobs.
 * A few, so that a peer keeps its threads busy without hoarding work that others could do.
 */
export const DEFAULT_MAX_ACTIVE_CLAIMS = 4

/** Invalid results a signer needs before it can be blocked, so that one unlucky disagreement never blocks anyone. */
export const BLOCK_MIN_INVALID = 2

/** Up to this many results, one-per-signer filtering scans an array instead of building a map. */
export const SMALL_RESULT_SET = 16

/**
 * Tasks of one job that a claimer with no validated work (a "newcomer": any fresh key) may hold.
 * Keys cost nothing, so a newcomer's claims must cost the swarm little: a few tasks, briefly.
 */
export const NEWCOMER_CLAIM_TASKS = 4

/** Longest a newcomer's claim holds a task, in milliseconds (the job's `leaseMs` when shorter). */
export const NEWCOMER_LEASE_MS = 60_000

/**
 * Unanswered claims a signer may have beyond its validated results before its claims hold
 * nothing: an honest peer that crashes or drains now and then stays far inside it.
 */
export const UNANSWERED_CLAIM_ALLOWANCE = 8

/**
 * Claimers whose unanswered claims the market remembers; beyond it, the one heard from longest
 * ago is forgotten (and is a newcomer again), so that fresh keys cannot grow the market without bound.
 */
export const MAX_TRACKED_CLAIMERS = 10_000

/**
 * Claimers one task records at once. Past it, slots that hold nothing any more make room, and
 * when none do a new claimer's claim is not recorded: fresh keys cannot grow a task without bound.
 */
export const MAX_CLAIM_SLOTS = 64

/**
 * Spot checks of one publisher a signer must pass, never failing one, before its word alone may
 * validate a task of that publisher's adaptive jobs (BOINC's adaptive replication asks for a run
 * of valid results; here only the publisher's own answers count, since a quorum of Sybils agrees
 * on anything). At a spot-check rate of 1 in 10 that is about 50 honest tasks of real work; where
 * nobody vouches for its quorums, half of them are checked (`UNPROVEN_CHECK_RATE`), so about 10.
 */
export const CREDIBLE_AFTER_CHECKS = 5

/**
 * The spot-check rate of a settled task whose winning class holds no credible signer, where the
 * job's own rate is lower. Claims are hints anyone may sign, so colluders choose their tasks: they
 * walk one order and pile onto the same tasks, and a task two of them hold validates their lie
 * unless a check finds it. Where no credible signer vouches for a task, the publisher checks it
 * this often, so a group that pairs up is caught within a task or two, and every task it validated
 * opens again. It costs an honest swarm that is new to the publisher a few checks per peer, until
 * each is credible; an established one nothing. At quorum 1 there are no partners to choose: the
 * job's rate.
 */
export const UNPROVEN_CHECK_RATE = 0.5
