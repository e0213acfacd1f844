import type { JobAnnounce, Json, Message, Opening, OpenedTask, WorkloadRef } from '@p2pc/protocol'
import type { CheckedErrors } from './error-estimate.ts'
import type { BlockRule, SignerStats } from './reputation.ts'
import type { OutputEquals, TaskFailure, TaskStatus, TaskTally, Verified } from './tally.ts'

/**
 * An envelope whose signature and message the driver has already checked
 * (`openEnvelope`). A `SealedEnvelope` is one; a simulator may build plain objects.
 */
export interface MarketEnvelope {
  /** Envelope id (CID string): duplicates are recognised by it, and equivocations resolved by it. */
  id: string
  /** Peer id of the signer. */
  signer: string
  message: Message
}

/** Store a new envelope in the log. Announces, batches, results and seals: claims are hints and are not kept. */
export interface PersistAction<E extends MarketEnvelope = MarketEnvelope> {
  type: 'persist'
  /** The very object passed to `receive`. */
  envelope: E
}

/**
 * Sign and publish a Claim `{ jobId, tasks, leaseEnd }` on the job topic. The market
 * has already counted it; feeding the signed claim back through `receive` is harmless.
 */
export interface ClaimAction {
  type: 'claim'
  jobId: string
  /** Task indexes in the order this peer will run them, at most `maxActiveClaims`. */
  tasks: number[]
  /** Lease end: the `now` of the tick plus the job's `leaseMs`. */
  leaseEnd: number
}

/**
 * Run a task this peer claimed, then sign its Result and feed it back through
 * `receive`. If the run fails, call `release(jobId, task)`.
 */
export interface RunAction {
  type: 'run'
  jobId: string
  task: number
  input: Json
  /** The workload bundle to run it with. */
  workload: WorkloadRef
  /** After this, other peers may start the task too: a result is still welcome, but may be a wasted replica. */
  leaseEnd: number
}

/** Fetch a batch's inputs by CID (checking the hash), then hand them over with `supplyInputs`. */
export interface FetchAction {
  type: 'fetch'
  jobId: string
  cid: string
}

/**
 * Seal a task of this peer's own job: sign a Seal with `{ task, outputHash }` (the driver may
 * gather several into one) and feed it back through `receive`. Asked once per task, once the
 * driver has set the job's output check (`setOutputCheck`).
 */
export interface SealAction {
  type: 'seal'
  jobId: string
  task: number
  outputHash: string
}

/**
 * Open the private answers of a settled task of this peer's own job with private answers: sign a
 * Seal with `opened: [opened]` (the driver may gather several, and join them to seals) and feed it
 * back through `receive`. Asked again when a task that opened again settles with more answers.
 */
export interface OpenAction {
  type: 'open'
  jobId: string
  opened: OpenedTask
}

/**
 * Raise the target of a task of this peer's own job with private answers, which only this peer
 * can see disagree: sign a Seal with `targets: [{ task, target }]` and feed it back through `receive`.
 */
export interface TargetAction {
  type: 'target'
  jobId: string
  task: number
  target: number
}

/**
 * Answer a task of this peer's own job itself, as a spot check, whether the draw picked it or not;
 * its own answer decides it. Asked once per task, when the task opens again after it was validated:
 * in a job with spot checks, the draw passed it over when it settled, and whoever settles it next
 * may be one more of the group just caught; where answers are private, also once its answers were
 * revealed, since answers heard since may be copies, and this peer opens none that came while it
 * was settled.
 */
export interface CheckAction {
  type: 'check'
  jobId: string
  task: number
}

/** The job's publisher cancelled it: stop its tasks running here; the market claims no more of them. */
export interface CancelAction {
  type: 'cancel'
  jobId: string
}

export type MarketAction<E extends MarketEnvelope = MarketEnvelope> =
  | PersistAction<E>
  | ClaimAction
  | RunAction
  | FetchAction
  | SealAction
  | OpenAction
  | TargetAction
  | CheckAction
  | CancelAction

/** A job's progress over its tasks. */
export interface JobProgress {
  total: number
  validated: number
  failed: number
  /** Tasks neither validated nor failed. */
  pending: number
}

/** What the market knows of an announced job. */
export interface JobView {
  jobId: string
  announce: JobAnnounce
  /** `complete` once every task is validated or failed; else `cancelled` once its publisher cancelled it. */
  status: 'open' | 'complete' | 'cancelled'
  progress: JobProgress
  /**
   * The publisher's spot checks so far: how many tasks it checked, and on how many some signer
   * had given another output (and was caught).
   */
  checks: { made: number; disagreed: number }
  /** CIDs of the publisher's batches whose inputs have not been supplied yet, sorted. */
  missingInputs: string[]
}

/** What the market knows of one task at a given time. */
export interface TaskView {
  index: number
  status: TaskStatus
  tally: TaskTally
  /** Claims by other peers that still hold the task. */
  liveClaims: number
  /** Replicas still needed: `target − distinct results − liveClaims`, never negative; 0 once settled. */
  needed: number
  /** The task's input, or undefined while its batch (or the batch's inputs) is unknown. */
  input: Json | undefined
}

/** One validated task, in the shape `reduce` takes once `input` and `output` are filled in. */
export interface ValidatedOutput {
  index: number
  /** The task's input, or undefined while its batch (or the batch's inputs) is unknown. */
  input: Json | undefined
  /** The winning outputHash: also the CID to fetch the output by when `output` is undefined. */
  outputHash: string
  /** The winning output when some winning result carried it inline; undefined when it travelled by CID only. */
  output: Json | undefined
  /** How the task was verified. */
  verified: Verified
}

/** A failed task of a job, with why it failed, as {@link Market.failures} lists it. */
export interface FailedTask {
  index: number
  /** The task's input, or undefined while its batch (or the batch's inputs) is unknown. */
  input: Json | undefined
  /** Distinct results counted when it failed. */
  results: number
  failure: TaskFailure
}

/** Options of {@link createMarket}; all but `self` are optional. */
export interface MarketInit {
  /** Peer id of this peer: its claims and results are its own, and it never answers a task twice. */
  self: string
  /**
   * Publishers whose jobs this peer works on: a set of peer ids or a predicate,
   * asked again on every tick. This peer's own jobs are always trusted.
   *
   * @default nobody else
   */
  trust?: ReadonlySet<string> | ((publisher: string) => boolean)
  /**
   * Work on any publisher's jobs.
   *
   * @default false
   */
  trustAny?: boolean
  /**
   * Whether this peer takes tasks of a job now, asked on every tick: its owner may have
   * suspended or aborted one. It claims nothing of a job this says no to, its own included.
   *
   * @default every job it trusts
   */
  works?: (jobId: string) => boolean
  /**
   * Tasks held at once (claimed, not yet answered or released), across all jobs; 0 makes a reader that never claims.
   *
   * @default 4
   */
  maxActiveClaims?: number
  /**
   * Free slots needed before this peer claims again, so that short tasks are claimed many to a
   * message rather than one by one. At most `maxActiveClaims`.
   *
   * @default 1
   */
  minClaimSize?: number
  /**
   * Whether this peer's driver answers tasks of a job with private answers privately (a box
   * encrypted to the publisher, and a commitment): only then does it claim their tasks.
   *
   * @default false
   */
  answersPrivately?: boolean
  /**
   * When a signer is blocked, from its valid and invalid counts.
   *
   * @default invalid ≥ 2 and invalid > valid (`defaultBlockRule`)
   */
  blockRule?: BlockRule
}

/**
 * The work market of one peer as a sans-IO state machine: it takes verified
 * envelopes and the time, answers questions, and queues actions for a driver.
 */
export interface Market<E extends MarketEnvelope = MarketEnvelope> {
  /** This peer's id. */
  readonly self: string
  /**
   * Takes one verified envelope received at time `now` (ms). Never claims work: that is `tick`'s job.
   *
   * @returns true when the envelope was new and kept (persist it and relay it); false for a
   * duplicate, or one the market ignores (a batch not signed by the publisher, a task out of range)
   */
  receive(envelope: E, now: number): boolean
  /** Lets time pass: expires leases, then claims tasks up to `maxActiveClaims`, queueing claim and run actions. */
  tick(now: number): void
  /**
   * Changes how much work this peer holds (see `maxActiveClaims` and `minClaimSize` of the
   * init); claims already made stand. Takes effect at the next `tick`.
   *
   * @throws InvalidParametersError when a value is out of range
   */
  setCapacity(capacity: { maxActiveClaims: number; minClaimSize?: number }): void
  /** Drains the queued actions, oldest first. */
  takeActions(): Array<MarketAction<E>>
  /**
   * Hands over a batch's inputs fetched by CID, already checked against it.
   *
   * @returns whether some batch of the job was waiting for them
   */
  supplyInputs(jobId: string, cid: string, inputs: Json[]): boolean
  /** Gives up a task this peer claimed (its run failed): frees the slot; this peer will not claim it again. */
  release(jobId: string, task: number): void
  /**
   * Gives back a task this peer claimed and will not answer now (its owner paused it, or suspended
   * its job): frees the slot and forgets this peer's claim, so that it may claim the task again
   * later, like any other peer. Call it once the run has ended; tell the swarm with a Claim whose
   * lease end is past.
   */
  giveBack(jobId: string, task: number): void
  /** Sets the workload's `equals` for a job (undefined for exact comparison), and re-tallies the job. */
  setEquals(jobId: string, equals: OutputEquals | undefined): void
  /**
   * Sets the workload's output schema check for a job (undefined for none), and re-tallies the
   * job: an inline output it rejects is an error of its signer. Only a peer that may run the
   * workload's code has one (the publisher, for its own jobs). The publisher asks to seal the tasks
   * of its own job only once this was called, with `undefined` where the workload has no schema.
   */
  setOutputCheck(jobId: string, check: ((output: Json) => boolean) | undefined): void
  /**
   * The publisher of a job with private answers opens one itself: its driver read the answer's
   * box, checked the output's hash and passes the output along (for an answer that is not an
   * error). Taken only while the task is open here, so that what counts here is what the seal
   * will open for everyone; a peer that is not the job's publisher ignores it.
   *
   * @returns whether the task's opened answers changed
   */
  open(jobId: string, task: number, opening: Opening, output?: Json): boolean
  /**
   * The publisher could not read a private answer (no box it can open, or one whose contents do
   * not open its commitment): the task wants one more answer in its place, which the publisher
   * asks of everyone with a `target` action.
   */
  unreadable(jobId: string, task: number, signer: string): void
  /** The jobs whose announce is known, in order of arrival. */
  jobIds(): string[]
  /** An announced job, or undefined. */
  job(jobId: string): JobView | undefined
  /** One task of an announced job at time `now`, or undefined when the job or index is unknown. */
  task(jobId: string, index: number, now: number): TaskView | undefined
  /**
   * The validated outputs of a job, in task order.
   *
   * @throws UnknownJobError when the job's announce is unknown
   */
  outputs(jobId: string): ValidatedOutput[]
  /**
   * The failed tasks of a job, in task order.
   *
   * @throws UnknownJobError when the job's announce is unknown
   */
  failures(jobId: string): FailedTask[]
  /**
   * Whether a signer has standing in a job: its publisher, or a signer with a valid result in
   * it that is not blocked. Only signers with standing can fail a task.
   */
  hasStanding(jobId: string, signer: string): boolean
  /**
   * A signer's record with the spot checks of a job's publisher: checks passed, whether one caught
   * it giving a wrong output (its results then count for nothing in that publisher's jobs), and
   * whether its word alone validates tasks of that publisher's adaptive jobs.
   */
  spotChecks(jobId: string, signer: string): SpotCheckRecord
  /**
   * How often the job's publisher checks a task once it is settled: the job's spot-check rate, or
   * more where no credible signer vouches for the winning class (see `checkRateOf`). 0 for a task
   * not settled or unknown.
   */
  checkRate(jobId: string, index: number): number
  /**
   * What a job's spot checks say of its rules: tasks checked, and those whose other answers
   * would have validated a wrong output without the check (see `errorRateBound`).
   */
  checkedErrors(jobId: string): CheckedErrors
  /** Counts, credit and block state of one signer (zeros for a stranger). */
  signer(peerId: string): SignerStats
  /**
   * Every signer with a result in a validated task (or blocked), by peer id: over every job, or
   * with `jobId`, that job's counts and credit alone (an unknown job has none). `blocked` is
   * always the signer's state across jobs.
   */
  signers(jobId?: string): SignerStats[]
  /** Tasks this peer holds now: claimed, not answered, not released, lease not over. */
  activeClaims(): Array<{ jobId: string; task: number; leaseEnd: number }>
  /**
   * Drops everything the market holds of a job, announced or not: its tasks, results and claims,
   * and what its tallies added to signers' counts. The ids given (the job's envelopes) are
   * forgotten too, so that the same envelopes are taken again if they come back. The driver uses
   * it to bound what strangers' jobs make a peer keep.
   *
   * @returns whether the market knew the job
   */
  forget(jobId: string, envelopeIds?: Iterable<string>): boolean
}

/** What {@link Market.spotChecks} says of one signer. */
export interface SpotCheckRecord {
  passed: number
  caught: boolean
  credible: boolean
}
