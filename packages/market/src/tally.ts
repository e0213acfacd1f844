// The tally: pure functions over the results of ONE task. The market calls them on every new result,
// and a simulator can call them directly; nothing here looks at other tasks, the clock or the network.
import type { Json, Result } from '@p2pc/protocol'
import { SMALL_RESULT_SET } from './constants.ts'

/** An already-verified result envelope: what the tally reads. `SealedEnvelope<Result>` is one. */
export interface ResultEnvelope {
  /** Envelope id (CID string): breaks ties between two results of one signer. */
  id: string
  /** Peer id of the signer. */
  signer: string
  message: Result
}

/** A workload's tolerant comparison of two outputs (its `equals`). */
export type OutputEquals = (a: Json, b: Json) => boolean

/** What a job asks of its tally: the announce's quorum, maxReplicas and maxErrors, and optionally `equals`. */
export interface TallyRules {
  /** Distinct agreeing signers that validate a task (BOINC's min_quorum). */
  quorum: number
  /** Distinct results after which a task without quorum fails (BOINC's max_total_results). */
  maxReplicas: number
  /** Disagreeing results after which a task without quorum fails (BOINC's max_error_results). */
  maxErrors: number
  /**
   * The workload's `equals`. Only results with inline outputs are compared with it;
   * results by CID agree only with results of the same `outputHash`. A throw counts as "not equal".
   */
  equals?: OutputEquals | undefined
  /**
   * Most credit one valid result earns, in milliseconds: the job's lease, its publisher's bound
   * on how long a task takes. No claim of a duration, however many signers make it, earns more.
   *
   * @default Infinity
   */
  maxCreditMs?: number | undefined
  /**
   * Adaptive verification (the announce's `verification: 'adaptive'`): a class with a credible
   * signer (`TallyContext.credible`) validates the task alone while no signer with standing
   * disagrees. @default false: every task needs `quorum`.
   */
  adaptive?: boolean | undefined
}

/**
 * What a tally needs to know beyond the task's results, each a pure function of the whole
 * envelope set (the market computes them; see docs/ARCHITECTURE.md, "Standing"). Every field
 * is optional: without any, the tally is the plain quorum vote.
 */
export interface TallyContext {
  /** Signers whose results do not count at all (blocked): they neither agree, disagree nor earn. */
  excluded?: ((signer: string) => boolean) | undefined
  /**
   * Signers whose disagreement counts toward failing the task and toward its target. A result of
   * a signer without standing can join or form a class, but outside the largest class it is an
   * error of its signer only. @default everyone
   */
  hasStanding?: ((signer: string) => boolean) | undefined
  /** The output hash the job's publisher sealed the task with: its class wins, whatever else arrives. */
  sealedHash?: string | undefined
  /**
   * The output hash of the publisher's own answer to the task, a spot check: its class wins like a
   * sealed one, and over a seal, since it is what the publisher computed rather than what it saw voted.
   */
  checkedHash?: string | undefined
  /** Signers whose word alone validates a task of an adaptive job (see `TallyRules.adaptive`). */
  credible?: ((signer: string) => boolean) | undefined
  /** The workload's output schema: an inline output it rejects is an error of its signer, in no class. */
  outputOk?: ((output: Json) => boolean) | undefined
}

/**
 * How a validated task was verified: by `quorum` agreeing signers; by one `single` credible
 * signer (adaptive jobs); by the publisher's own answer (`checked`, a spot check); or by the
 * publisher's `sealed` word on a vote it saw.
 */
export type Verified = 'quorum' | 'single' | 'checked' | 'sealed'

/** Where a task stands: `validated` and `failed` are settled, `pending` still wants results. */
export type TaskStatus = 'pending' | 'validated' | 'failed'

/**
 * Why a task failed:
 * - `same-error`: `quorum` signers report the same error, as they would agree on an output;
 * - `too-many-errors`: more than `maxErrors` failures and wrong outputs by signers with standing;
 * - `no-quorum`: `maxReplicas` results counted without `quorum` of them agreeing.
 */
export type FailureCause = 'same-error' | 'too-many-errors' | 'no-quorum'

/** What a failed task's tally keeps of why it failed: enough for one sentence to its publisher. */
export interface TaskFailure {
  cause: FailureCause
  /** The distinct errors reported, the agreed one first when the cause is `same-error`, then sorted. */
  errors: readonly string[]
  /** The distinct output hashes reported, sorted: the disagreement, when there is one. */
  outputHashes: readonly string[]
}

/** The tally of one task: a pure function of the SET of its results. */
export interface TaskTally {
  status: TaskStatus
  /** Distinct results counted: one per signer. */
  distinct: number
  /** Size of the largest class of agreeing results. */
  largest: number
  /** Results the task should collect: quorum, plus one per disagreeing result, at most maxReplicas. */
  target: number
  /** When validated: the winning class's outputHash (its smallest, when `equals` merged several); else undefined. */
  outputHash: string | undefined
  /** When validated and some winning result carries its output inline: that output; else undefined (fetch `outputHash`). */
  output: Json | undefined
  /** When validated: the signers of the winning class, sorted; else empty. */
  valid: readonly string[]
  /** When validated: every other signer, sorted (their results are errors); else empty. */
  invalid: readonly string[]
  /** Signers whose output the workload's schema rejects, sorted: errors whatever the status. */
  rejected: readonly string[]
  /** When validated: the credit granted for each valid result, in milliseconds; else 0. */
  creditMs: number
  /** When failed: why; else undefined. */
  failure: TaskFailure | undefined
  /** When validated: how; else undefined. */
  verified: Verified | undefined
}

/** A class of agreeing results: its smallest outputHash and its members. */
interface OutputClass {
  hash: string
  members: ResultEnvelope[]
}

const NONE: readonly string[] = Object.freeze([])

/**
 * Keeps one result per signer: when a signer sent two different results for the
 * task (equivocation), the one with the smaller envelope id counts, whatever the order.
 * Pass the results of one task only.
 */
export function distinctResults(results: readonly ResultEnvelope[]): ResultEnvelope[] {
  if (results.length <= SMALL_RESULT_SET) {
    const kept: ResultEnvelope[] = []
    for (const result of results) {
      const at = kept.findIndex((other) => other.signer === result.signer)
      if (at < 0) kept.push(result)
      else if (result.id < kept[at]!.id) kept[at] = result
    }
    return kept
  }
  const bySigner = new Map<string, ResultEnvelope>()
  for (const result of results) {
    const other = bySigner.get(result.signer)
    if (other === undefined || result.id < other.id) bySigner.set(result.signer, result)
  }
  return [...bySigner.values()]
}

/**
 * The target number of results: the quorum, plus one for each result outside the
 * largest class, capped at maxReplicas (BOINC's target_nresults).
 */
export function taskTarget(distinct: number, largest: number, rules: TallyRules): number {
  return Math.min(rules.maxReplicas, rules.quorum + (distinct - largest))
}

/**
 * Replicas of a task still worth starting: `target − distinct results − live
 * claims by other peers`, never negative, and 0 once the task is settled.
 */
export function replicasNeeded(
  tally: Pick<TaskTally, 'status' | 'target' | 'distinct'>,
  liveClaimsByOthers: number,
): number {
  if (tally.status !== 'pending') return 0
  return Math.max(0, tally.target - tally.distinct - liveClaimsByOthers)
}

/**
 * Tallies the results of one task.
 *
 * - One result per signer ({@link distinctResults}); results of `context.excluded` signers
 *   do not count, and inline outputs that `context.outputOk` rejects are errors in no class.
 * - Results are grouped into classes of equal outputs: equal `outputHash`, or
 *   `rules.equals` between inline outputs. Hashes are visited in ascending order and
 *   each joins the first class whose representative it equals, so the grouping does
 *   not depend on arrival order even when `equals` is not transitive.
 * - A task the publisher sealed is validated by the class holding the sealed hash, whatever
 *   its size; until a result of that class is known it stays pending with nothing to run. Once
 *   every signer of that class is excluded (blocked), the seal no longer holds. The publisher's
 *   own answer (`context.checkedHash`, a spot check) decides the same way, and over a seal.
 * - Otherwise a class with `quorum` signers validates the task. The winner is the largest
 *   class, then the one with the smallest outputHash; every result outside it, failures
 *   included, is an error.
 * - Otherwise `quorum` signers reporting the same error fail the task (`same-error`): a
 *   deterministic error is agreed like an output.
 * - Otherwise failures, rejected outputs and outputs outside the largest class are errors.
 *   Counting only those of signers with standing, the task fails once more than `maxErrors`
 *   errors are counted (`too-many-errors`), or once the largest class and the errors reach
 *   `maxReplicas` (`no-quorum`); else it is pending. In an adaptive job, before that, a class
 *   with a `context.credible` signer validates the task alone when no such error is counted.
 * - Credit per valid result is the lower median of the winning class's `durationMs`, so
 *   no signer can raise its own credit alone (with two results, it is the smaller claim), and
 *   at most `maxCreditMs`, so that no set of signers can either.
 *
 * The outcome is a pure function of the set of results: any order, any duplication.
 *
 * @example
 * ```ts
 * const tally = tallyTask(resultsOfTask, { quorum: 2, maxReplicas: 5, maxErrors: 3 })
 * if (tally.status === 'validated') console.log(tally.outputHash, tally.valid)
 * ```
 */
export function tallyTask(
  results: readonly ResultEnvelope[],
  rules: TallyRules,
  context: TallyContext = {},
): TaskTally {
  const { excluded, outputOk } = context
  const outputs: ResultEnvelope[] = []
  const failures: ResultEnvelope[] = []
  const rejected: string[] = []
  for (const result of distinctResults(results)) {
    if (excluded?.(result.signer) === true) continue
    if (isFailure(result)) failures.push(result)
    else if (outputOk !== undefined && isInline(result) && !passes(outputOk, result.message.output as Json)) {
      rejected.push(result.signer)
    } else {
      outputs.push(result)
    }
  }
  const n = outputs.length + failures.length + rejected.length
  const rejectedSorted = rejected.length === 0 ? NONE : rejected.sort()
  const classes = classify(outputs, rules.equals)
  // Failures agree only by their error's exact words: `equals` compares outputs, not errors.
  const failed = classify(failures, undefined)
  const settle: Settlement = { classes, failures: failed, n, rules, rejected: rejectedSorted }
  const settledBy = context.checkedHash !== undefined ? 'checked' : 'sealed'
  const authority = context.checkedHash ?? context.sealedHash
  if (authority !== undefined) {
    const hash = authority
    const at = classes.findIndex((c) => c.members.some((m) => m.message.outputHash === hash))
    if (at >= 0) return validated(settle, at, settledBy)
    // A seal stands while one signer of its class is not blocked; once all are, the plain vote
    // decides again. Sealed, but no result of its class here yet: nothing to run, it comes with sync.
    const voided = results.some((r) => r.message.outputHash === hash && excluded?.(r.signer) === true)
    if (!voided) return unsettled(settle, 'pending', n, classes[0]?.members.length ?? 0, 0)
  }
  const top = classes[0]
  const largest = top === undefined ? 0 : top.members.length
  // An output agreed by a quorum wins over any failure, whichever came first.
  if (top !== undefined && largest >= rules.quorum) return validated(settle, 0, 'quorum')
  const commonError = failed[0]
  if (commonError !== undefined && commonError.members.length >= rules.quorum) {
    return unsettled(settle, 'failed', n, largest, taskTarget(n, largest, rules), 'same-error')
  }
  // Only signers with standing can fail a task otherwise or raise its target: strangers' noise
  // costs nobody a replica and fails nothing.
  const standing = context.hasStanding
  const counts = (signer: string): boolean => standing === undefined || standing(signer)
  let errors = 0
  for (let i = 1; i < classes.length; i++) {
    for (const member of classes[i]!.members) if (counts(member.signer)) errors++
  }
  for (const failure of failures) if (counts(failure.signer)) errors++
  for (const signer of rejected) if (counts(signer)) errors++
  if (rules.adaptive === true && context.credible !== undefined) {
    const alone = loneCredibleClass(settle, context.credible, counts)
    if (alone >= 0) return validated(settle, alone, 'single')
  }
  const counted = largest + errors
  const target = taskTarget(counted, largest, rules)
  if (counted > 0 && errors > rules.maxErrors) {
    return unsettled(settle, 'failed', counted, largest, target, 'too-many-errors')
  }
  if (counted > 0 && counted >= rules.maxReplicas) {
    return unsettled(settle, 'failed', counted, largest, target, 'no-quorum')
  }
  return unsettled(settle, 'pending', counted, largest, target)
}

/**
 * The class that a credible signer's word validates alone: the one holding a credible signer,
 * when no signer with standing answered otherwise (a fresh key's other answer costs nothing). -1 if none.
 */
function loneCredibleClass(
  settle: Settlement,
  credible: (signer: string) => boolean,
  counts: (signer: string) => boolean,
): number {
  const { classes, failures, rejected } = settle
  const at = classes.findIndex((c) => c.members.some((member) => credible(member.signer)))
  if (at < 0) return -1
  for (let i = 0; i < classes.length; i++) {
    if (i !== at && classes[i]!.members.some((member) => counts(member.signer))) return -1
  }
  for (const cls of failures) if (cls.members.some((member) => counts(member.signer))) return -1
  return rejected.some(counts) ? -1 : at
}

/** What settling a task needs besides which class won: the tally's classes and counts. */
interface Settlement {
  /** Classes of agreeing outputs, largest first. */
  classes: readonly OutputClass[]
  /** Classes of identical errors, largest first. */
  failures: readonly OutputClass[]
  n: number
  rules: TallyRules
  rejected: readonly string[]
}

function validated(settle: Settlement, winner: number, verified: Verified): TaskTally {
  const { classes, failures, n, rules, rejected } = settle
  const top = classes[winner]!
  const valid: string[] = []
  const durations: number[] = []
  for (const member of top.members) {
    valid.push(member.signer)
    durations.push(member.message.durationMs)
  }
  // A failure where others agreed on an output is as wrong as a different output.
  const invalid: string[] = []
  for (let i = 0; i < classes.length; i++) {
    if (i !== winner) for (const member of classes[i]!.members) invalid.push(member.signer)
  }
  for (const cls of failures) for (const member of cls.members) invalid.push(member.signer)
  durations.sort((a, b) => a - b)
  const largest = classes[0]!.members.length
  return {
    status: 'validated',
    distinct: n,
    largest,
    target: taskTarget(n, largest, rules),
    outputHash: top.hash,
    output: inlineOutput(top),
    valid: valid.sort(),
    invalid: invalid.length === 0 ? NONE : invalid.sort(),
    rejected,
    creditMs: Math.min(durations[(durations.length - 1) >> 1]!, rules.maxCreditMs ?? Infinity),
    failure: undefined,
    verified,
  }
}

function unsettled(
  settle: Settlement,
  status: 'pending' | 'failed',
  distinct: number,
  largest: number,
  target: number,
  cause?: FailureCause,
): TaskTally {
  return {
    status,
    distinct,
    largest,
    target,
    outputHash: undefined,
    output: undefined,
    valid: NONE,
    invalid: NONE,
    rejected: settle.rejected,
    creditMs: 0,
    failure: cause === undefined ? undefined : failureOf(settle, cause),
    verified: undefined,
  }
}

/** The errors and output hashes behind a failed task, the agreed error first. */
function failureOf(settle: Settlement, cause: FailureCause): TaskFailure {
  const errors = settle.failures.map((cls) => cls.members[0]!.message.error!)
  const agreed = cause === 'same-error' ? errors.shift() : undefined
  errors.sort(compareStrings)
  if (agreed !== undefined) errors.unshift(agreed)
  const outputHashes = settle.classes.flatMap((cls) => [
    ...new Set(cls.members.map((m) => m.message.outputHash)),
  ])
  return { cause, errors, outputHashes: outputHashes.sort(compareStrings) }
}

/** Whether the schema check accepts an output; a check that throws rejects it. */
function passes(outputOk: (output: Json) => boolean, output: Json): boolean {
  try {
    return outputOk(output) === true
  } catch {
    return false
  }
}

/** Whether a result carries its output inline: not by CID, and not a failure. */
function isInline(result: ResultEnvelope): boolean {
  return result.message.outputCid === undefined && result.message.error === undefined
}

/** Whether a result says its task failed on its signer. */
function isFailure(result: ResultEnvelope): boolean {
  return result.message.error !== undefined
}

/** Classes sorted by size (largest first), then by smallest outputHash. */
function classify(results: readonly ResultEnvelope[], equals: OutputEquals | undefined): OutputClass[] {
  const groups = groupByHash(results)
  if (groups.length > 1) groups.sort((a, b) => compareStrings(a.hash, b.hash))
  let classes = groups
  if (equals !== undefined && groups.length > 1) {
    classes = []
    for (const group of groups) {
      const joined = classes.find((c) => agree(c, group.members, equals))
      if (joined === undefined) classes.push({ hash: group.hash, members: [...group.members] })
      else joined.members.push(...group.members)
    }
  }
  if (classes.length > 1) {
    classes.sort((a, b) => b.members.length - a.members.length || compareStrings(a.hash, b.hash))
  }
  return classes
}

/** Results grouped by outputHash: a linear scan for the usual handful, a map beyond. */
function groupByHash(results: readonly ResultEnvelope[]): OutputClass[] {
  const groups: OutputClass[] = []
  if (results.length <= SMALL_RESULT_SET) {
    for (const result of results) {
      const hash = result.message.outputHash
      const group = groups.find((g) => g.hash === hash)
      if (group === undefined) groups.push({ hash, members: [result] })
      else group.members.push(result)
    }
    return groups
  }
  const byHash = new Map<string, OutputClass>()
  for (const result of results) {
    const hash = result.message.outputHash
    const group = byHash.get(hash)
    if (group === undefined) {
      const created = { hash, members: [result] }
      byHash.set(hash, created)
      groups.push(created)
    } else {
      group.members.push(result)
    }
  }
  return groups
}

/** Whether a group of same-hash results agrees with a class's representative (its smallest hash). */
function agree(cls: OutputClass, group: readonly ResultEnvelope[], equals: OutputEquals): boolean {
  const representative = cls.members.find((m) => m.message.outputHash === cls.hash && isInline(m))
  const candidate = group.find(isInline)
  if (representative === undefined || candidate === undefined) return false
  try {
    return equals(representative.message.output as Json, candidate.message.output as Json) === true
  } catch {
    return false
  }
}

function inlineOutput(cls: OutputClass): Json | undefined {
  const carrier = cls.members.find((m) => m.message.outputHash === cls.hash && isInline(m))
  return carrier === undefined ? undefined : (carrier.message.output as Json)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
