import { outputHashOf } from '@p2pc/protocol'
import type { JobAnnounce, Json, Opening, OpenedTask, Seal, TaskBatch } from '@p2pc/protocol'
import { claimHoldsUntil, claimMayHold } from './claim-hold.ts'
import type { ClaimSlot, ClaimStanding } from './claim-hold.ts'
import type { ClaimQueue } from './claim-queue.ts'
import { MAX_CLAIM_SLOTS } from './constants.ts'
import type { CheckVerdict } from './checks.ts'
import { addAnswer, addOpening, answeredBy, openAnswers, openingsOf } from './private-answers.ts'
import type { PrivateAnswers } from './private-answers.ts'
import { Reputation, defaultBlockRule } from './reputation.ts'
import { tallyTask } from './tally.ts'
import type { OutputEquals, ResultEnvelope, TallyContext, TallyRules, TaskTally } from './tally.ts'

/** Signers of cancels a job keeps before its announce says which of them is its publisher. */
const MAX_EARLY_CANCELS = 8

/** An already-verified task batch envelope. */
export interface BatchEnvelope {
  id: string
  signer: string
  message: TaskBatch
}

/** An already-verified seal envelope. */
export interface SealEnvelope {
  id: string
  signer: string
  message: Seal
}

/**
 * What the market holds for one task, created by its first result or claim.
 * Claims are parallel arrays, one slot per claimer (see `claimHoldsUntil`).
 */
export interface TaskRecord extends PrivateAnswers {
  /** The publisher's own, where answers are private: signers whose answer it could not read. */
  unreadable?: Set<string> | undefined
  /**
   * One result per signer: the smallest envelope id when a signer sent several. In a job with
   * private answers, the answers opened so far (see `private-answers.ts`).
   */
  results: ResultEnvelope[]
  claimers: string[]
  claims: ClaimSlot[]
  /** When the task's current hold began (its first claim since it last moved on), if it is held. */
  holdStart: number | undefined
  /**
   * The plain vote over `results` (the seal and the schema apply, nobody is excluded): what
   * standing and blocking are judged on, once the job's announce is known.
   */
  raw: TaskTally | undefined
  /** The tally that counts: `raw` with blocked signers excluded and standing applied. */
  tally: TaskTally | undefined
}

/** The batch that defines the inputs of a range of tasks. */
interface BatchRecord {
  id: string
  index: number
  first: number
  inputs: Json[] | undefined
  inputsCid: string | undefined
}

/**
 * The state of one job: its announce (once known), the publisher's batches, the
 * records of tasks that have results or claims, and progress counters. Envelopes
 * that arrive before the announce are kept and judged when it arrives.
 */
export class JobState {
  readonly id: string
  announce: JobAnnounce | undefined
  rules: TallyRules | undefined
  /** The tally of a task without results. */
  empty: TaskTally | undefined
  equals: OutputEquals | undefined
  /** The workload's output schema check, when the driver has one. */
  outputOk: ((output: Json) => boolean) | undefined
  /** Whether the driver has set the output check (perhaps to none): only then does its publisher seal. */
  judged = false
  readonly tasks = new Map<number, TaskRecord>()
  /** The publisher's seal of each task: the smallest envelope id's entry. */
  readonly seals = new Map<number, { id: string; outputHash: string }>()
  /** Tasks whose seal this peer (the publisher) has asked its driver for. */
  readonly sealsAsked = new Set<number>()
  /** Private answers: the largest target the publisher gave each task (see `TaskTarget`). */
  readonly targets = new Map<number, number>()
  /** The publisher's own: answers it asked its driver to open, and targets it asked to raise, per task. */
  readonly openedAsked = new Map<number, number>()
  readonly targetsAsked = new Map<number, number>()
  /** The publisher's own: tasks it asked to answer itself, once they opened again after a reveal. */
  readonly checksAsked = new Set<number>()
  /** What each spot-checked task's raw tally says of its signers (see `SpotChecks`). */
  readonly verdicts = new Map<number, CheckVerdict>()
  /** Spot-checked tasks on which some signer gave another output than the publisher's. */
  readonly disagreed = new Set<number>()
  /**
   * Signers' counts and credit in this job alone, over the tallies that count and the raw ones:
   * a signer with a valid raw result has standing in this job.
   */
  readonly counted = new Reputation(defaultBlockRule)
  readonly raw = new Reputation(defaultBlockRule)
  private offeredSeals: SealEnvelope[] = []
  /** Signers of cancels heard before the announce, which says whether one of them is the publisher. */
  private readonly offeredCancels = new Set<string>()
  /** Whether the job's publisher cancelled it. */
  cancelled = false
  validated = 0
  failed = 0
  /** This peer's walk through the job, once it decided to work on it. */
  work: ClaimQueue | undefined
  private offered: BatchEnvelope[] = []
  private readonly batches = new Map<number, BatchRecord>()
  private readonly supplied = new Map<string, Json[]>()
  /** Batches with known inputs, by first task; `reach[i]` is the furthest end among `segments[0..i]`. */
  private segments: BatchRecord[] = []
  private reach: number[] = []
  /** Tasks of this job each claimer has claimed, for a newcomer's limit. */
  private readonly claimCounts = new Map<string, number>()

  constructor(id: string) {
    this.id = id
  }

  /** Whether the job's answers are private (see `JobAnnounce.answers`); false before the announce. */
  get privateAnswers(): boolean {
    return this.announce?.answers === 'private'
  }

  get complete(): boolean {
    return this.announce !== undefined && this.validated + this.failed === this.announce.taskCount
  }

  /** Takes the announce; batches kept until now are judged, and tasks out of range dropped. */
  setAnnounce(announce: JobAnnounce): void {
    this.announce = announce
    this.setRules()
    const offered = this.offered
    this.offered = []
    for (const batch of offered) this.acceptBatch(batch)
    for (const [index, task] of this.tasks) {
      if (index >= announce.taskCount) this.tasks.delete(index)
      else this.sortAnswers(task)
    }
    const seals = this.offeredSeals
    this.offeredSeals = []
    for (const seal of seals) this.acceptSeal(seal)
    this.cancelled = this.offeredCancels.has(announce.publisher)
    this.offeredCancels.clear()
  }

  /**
   * Offers a cancel by `signer`: kept for later before the announce (a few signers at most, since
   * any key can sign one); after it, it cancels the job when its publisher signed it.
   *
   * @returns whether it is kept, and whether it cancelled the job just now
   */
  offerCancel(signer: string): { kept: boolean; cancelled: boolean } {
    if (this.announce === undefined) {
      if (this.offeredCancels.size >= MAX_EARLY_CANCELS) return { kept: false, cancelled: false }
      this.offeredCancels.add(signer)
      return { kept: true, cancelled: false }
    }
    if (signer !== this.announce.publisher) return { kept: false, cancelled: false }
    const now = !this.cancelled
    this.cancelled = true
    return { kept: true, cancelled: now }
  }

  /**
   * Offers a seal: kept for later before the announce; after it, its entries are taken when
   * the publisher signed it, in range, and from a smaller envelope id than the task's seal so far.
   *
   * @returns whether it was kept, and the tasks whose seal changed
   */
  offerSeal(seal: SealEnvelope): { kept: boolean; changed: number[] } {
    if (this.announce === undefined) {
      this.offeredSeals.push(seal)
      return { kept: true, changed: [] }
    }
    if (seal.signer !== this.announce.publisher) return { kept: false, changed: [] }
    return { kept: true, changed: this.acceptSeal(seal) }
  }

  private acceptSeal(seal: SealEnvelope): number[] {
    if (seal.signer !== this.announce!.publisher) return []
    const changed = new Set<number>()
    const taskCount = this.announce!.taskCount
    for (const { task, outputHash } of seal.message.tasks) {
      if (task >= taskCount) continue
      const current = this.seals.get(task)
      if (current !== undefined && current.id <= seal.id) continue
      this.seals.set(task, { id: seal.id, outputHash })
      this.task(task)
      changed.add(task)
    }
    // Openings and targets mean something only where answers are private.
    if (!this.privateAnswers) return [...changed]
    for (const opened of seal.message.opened ?? []) {
      if (opened.task >= taskCount) continue
      // What its seals opened, the publisher need not ask to open again (after a restart, say).
      const asked = this.openedAsked.get(opened.task) ?? 0
      this.openedAsked.set(opened.task, Math.max(asked, opened.answers.length))
      const task = this.task(opened.task)
      const outputHash = opened.output === undefined ? undefined : outputHashOf(opened.output)
      let added = false
      for (const opening of opened.answers) {
        const output = opening.outputHash === outputHash ? opened.output : undefined
        if (addOpening(task, opening, output)) added = true
      }
      if (added && openAnswers(task, this.announce!.publisher)) changed.add(opened.task)
    }
    for (const { task, target } of seal.message.targets ?? []) {
      if (task >= taskCount || target <= (this.targets.get(task) ?? 0)) continue
      this.targetsAsked.set(task, Math.max(this.targetsAsked.get(task) ?? 0, target))
      this.targets.set(task, target)
      this.task(task)
      changed.add(task)
    }
    return [...changed]
  }

  /**
   * Takes a result once the announce is known: a private answer in a job with private answers
   * (or the publisher's own answer, in the open), an answer in the open elsewhere.
   *
   * @returns whether the task's results or answers changed; false for a result that means nothing in this job
   */
  takeResult(task: TaskRecord, result: ResultEnvelope): boolean {
    if (!this.accepts(result)) return false
    if (!this.privateAnswers) return this.addResult(task, result)
    if (!addAnswer(task, result)) return false
    openAnswers(task, this.announce!.publisher)
    return true
  }

  /**
   * Whether a result means something in this job (its announce known): boxed where answers are
   * private, but for the publisher's spot checks, which it sends once their task is settled. Any
   * other answer in the open, the publisher's own included, is one a copycat could box as its own.
   */
  accepts(result: ResultEnvelope): boolean {
    const inBox = result.message.box !== undefined
    if (!this.privateAnswers) return !inBox
    return inBox || (result.signer === this.announce!.publisher && result.message.check === true)
  }

  /** Results heard before the announce wait among the answers; now they go where the job says. */
  private sortAnswers(task: TaskRecord): void {
    const waiting = task.answers ?? []
    task.answers = undefined
    for (const result of waiting) this.takeResult(task, result)
  }

  /**
   * The publisher opens a private answer itself (its driver read the box): taken while the task
   * is open here, so that what counts here is what its seal will open for everyone.
   *
   * @returns whether the task's opened answers changed
   */
  openLocally(task: TaskRecord, index: number, opening: Opening, output: Json | undefined): boolean {
    if (!this.privateAnswers || this.isSettled(index)) return false
    return addOpening(task, opening, output) && openAnswers(task, this.announce!.publisher)
  }

  /** What the publisher's seal opens of a settled task: every private answer it opened. */
  openedOf(index: number, task: TaskRecord): OpenedTask {
    const answers = openingsOf(task)
    const output = task.tally?.output
    return output === undefined ? { task: index, answers } : { task: index, answers, output }
  }

  /** Distinct signers that answered a task, opened or not. */
  answerCount(task: TaskRecord): number {
    return (task.answers ?? task.results).length
  }

  setEquals(equals: OutputEquals | undefined): void {
    this.equals = equals
    if (this.announce !== undefined) this.setRules()
  }

  setOutputCheck(outputOk: ((output: Json) => boolean) | undefined): void {
    this.outputOk = outputOk
    this.judged = true
  }

  private setRules(): void {
    const { quorum, maxReplicas, maxErrors, leaseMs, verification } = this.announce!
    const adaptive = verification === 'adaptive'
    this.rules = { quorum, maxReplicas, maxErrors, equals: this.equals, maxCreditMs: leaseMs, adaptive }
    this.empty = tallyTask([], this.rules)
  }

  /**
   * Offers a batch: kept for later before the announce; after it, the batch of its
   * index when signed by the publisher, in range, and the smallest envelope id so far.
   *
   * @returns `kept`, `accepted` (with the range now covered, if its inputs are known), or `ignored`
   */
  offerBatch(batch: BatchEnvelope): 'kept' | 'accepted' | 'ignored' {
    if (this.announce === undefined) {
      this.offered.push(batch)
      return 'kept'
    }
    return this.acceptBatch(batch) === undefined ? 'ignored' : 'accepted'
  }

  private acceptBatch(batch: BatchEnvelope): BatchRecord | undefined {
    const announce = this.announce!
    const message = batch.message
    if (batch.signer !== announce.publisher) return undefined
    if (message.batch >= announce.batchCount || message.first >= announce.taskCount) return undefined
    if (message.inputs !== undefined && message.first + message.inputs.length > announce.taskCount) {
      return undefined
    }
    const current = this.batches.get(message.batch)
    if (current !== undefined && current.id <= batch.id) return undefined
    const record: BatchRecord = {
      id: batch.id,
      index: message.batch,
      first: message.first,
      inputs: message.inputs,
      inputsCid: message.inputsCid,
    }
    this.batches.set(message.batch, record)
    this.indexSegments()
    return record
  }

  /** The range a batch covers once its inputs are known, as `[first, count]`. */
  coveredRange(batchIndex: number): [number, number] | undefined {
    const record = this.batches.get(batchIndex)
    const inputs = record === undefined ? undefined : this.inputsOf(record)
    return inputs === undefined ? undefined : [record!.first, inputs.length]
  }

  /** Every accepted batch's range with known inputs. */
  coveredRanges(): Array<[number, number]> {
    return this.segments.map((record) => [record.first, this.inputsOf(record)!.length])
  }

  /**
   * Inputs fetched by CID (the driver checked them against the CID).
   *
   * @returns the indexes of accepted batches that this completes
   */
  supplyInputs(cid: string, inputs: Json[]): number[] {
    if (this.supplied.has(cid)) return []
    this.supplied.set(cid, inputs)
    const completed: number[] = []
    for (const record of this.batches.values()) {
      if (record.inputsCid === cid && this.inputsOf(record) !== undefined) completed.push(record.index)
    }
    if (completed.length > 0) this.indexSegments()
    return completed
  }

  /** CIDs of accepted batches whose inputs are still to be fetched, sorted. */
  missingInputs(): string[] {
    const missing = new Set<string>()
    for (const record of this.batches.values()) {
      if (record.inputsCid !== undefined && !this.supplied.has(record.inputsCid))
        missing.add(record.inputsCid)
    }
    return [...missing].sort()
  }

  /** The inputs CID of a batch whose inputs are still to be fetched, else undefined. */
  missingCid(batchIndex: number): string | undefined {
    const record = this.batches.get(batchIndex)
    if (record?.inputsCid === undefined || this.supplied.has(record.inputsCid)) return undefined
    return record.inputsCid
  }

  /** The input of a task, or undefined when no accepted batch with known inputs covers it. */
  inputOf(task: number): Json | undefined {
    const segments = this.segments
    let lo = 0
    let hi = segments.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (segments[mid]!.first <= task) lo = mid + 1
      else hi = mid
    }
    // Overlapping batches are a publisher's mistake; the one with the smallest index wins.
    let best: BatchRecord | undefined
    for (let i = lo - 1; i >= 0 && this.reach[i]! > task; i--) {
      const record = segments[i]!
      if (
        task < record.first + this.inputsOf(record)!.length &&
        (best === undefined || record.index < best.index)
      ) {
        best = record
      }
    }
    return best === undefined ? undefined : this.inputsOf(best)![task - best.first]
  }

  private inputsOf(record: BatchRecord): Json[] | undefined {
    const inputs =
      record.inputs ?? (record.inputsCid === undefined ? undefined : this.supplied.get(record.inputsCid))
    if (inputs === undefined || record.first + inputs.length > this.announce!.taskCount) return undefined
    return inputs
  }

  private indexSegments(): void {
    this.segments = [...this.batches.values()]
      .filter((record) => this.inputsOf(record) !== undefined)
      .sort((a, b) => a.first - b.first || a.index - b.index)
    let reach = 0
    this.reach = this.segments.map(
      (record) => (reach = Math.max(reach, record.first + this.inputsOf(record)!.length)),
    )
  }

  /** The record of a task, created when missing. */
  task(index: number): TaskRecord {
    let record = this.tasks.get(index)
    if (record === undefined) {
      record = {
        results: [],
        claimers: [],
        claims: [],
        holdStart: undefined,
        raw: undefined,
        tally: undefined,
      }
      this.tasks.set(index, record)
    }
    return record
  }

  /** Whether a task is validated or failed. */
  isSettled(index: number): boolean {
    const status = this.tasks.get(index)?.tally?.status
    return status !== undefined && status !== 'pending'
  }

  /**
   * Adds a result to its task, one per signer: of two results by one signer, the
   * smaller envelope id stays.
   *
   * @returns whether the task's counted results changed
   */
  private addResult(task: TaskRecord, result: ResultEnvelope): boolean {
    const at = task.results.findIndex((other) => other.signer === result.signer)
    if (at < 0) task.results.push(result)
    else if (result.id < task.results[at]!.id) task.results[at] = result
    else return false
    return true
  }

  /**
   * Recomputes a task's raw tally and this job's raw counts: returns the previous and the new
   * tally, and the task's spot-check verdict before and after.
   *
   * `caught` are the signers this job's publisher caught lying. They count in a checked task,
   * whose verdict is what catches them, and nowhere else: left in the plain vote, two colluders
   * that outvote an honest signer on a few tasks would get it blocked for their lie.
   */
  retallyRaw(
    index: number,
    task: TaskRecord,
    caught: (signer: string) => boolean,
  ): [TaskTally | undefined, TaskTally, CheckVerdict | undefined, CheckVerdict | undefined] {
    const previous = task.raw
    const checkedHash = this.checkedHash(task)
    const next = tallyTask(task.results, this.rules!, {
      sealedHash: this.seals.get(index)?.outputHash,
      checkedHash,
      outputOk: this.outputOk,
      excluded: checkedHash === undefined ? caught : undefined,
    })
    task.raw = next
    this.raw.update(previous, next)
    // Block states of one job's counts mean nothing: the market judges blocks across jobs.
    this.raw.takeChanged()
    const verdictBefore = this.verdicts.get(index)
    const verdict = next.verified === 'checked' ? this.verdictOf(task, next) : undefined
    if (verdict === undefined) this.verdicts.delete(index)
    else this.verdicts.set(index, verdict)
    if (verdict !== undefined && verdict.caught.length > 0) this.disagreed.add(index)
    else this.disagreed.delete(index)
    return [previous, next, verdictBefore, verdict]
  }

  /**
   * The output hash of the publisher's own answer to a task, when it is a spot check: its result
   * (the one that counts of its signer) says `check` and carries an output, not an error.
   */
  checkedHash(task: TaskRecord): string | undefined {
    const publisher = this.announce!.publisher
    for (const result of task.results) {
      if (result.signer !== publisher) continue
      const message = result.message
      return message.check === true && message.error === undefined ? message.outputHash : undefined
    }
    return undefined
  }

  /**
   * Whether a checked task's other answers alone validate an output outside its check's class,
   * under this job's rules: a quorum agreeing on a wrong output, or in an adaptive job a lone
   * `credible` signer. (See `error-estimate.ts`.)
   */
  wouldErr(index: number, task: TaskRecord, context: Pick<TallyContext, 'excluded' | 'credible'>): boolean {
    const verdict = this.verdicts.get(index)
    if (verdict === undefined) return false
    const publisher = this.announce!.publisher
    const others = task.results.filter((result) => result.signer !== publisher)
    const tally = tallyTask(others, this.rules!, { ...context, outputOk: this.outputOk })
    return tally.status === 'validated' && !tally.valid.some((signer) => verdict.passed.includes(signer))
  }

  /** Who agreed with a spot check and who gave another output (a failure is no evidence of lying). */
  private verdictOf(task: TaskRecord, tally: TaskTally): CheckVerdict {
    const publisher = this.announce!.publisher
    const passed = tally.valid.filter((signer) => signer !== publisher)
    const failedBy = new Set(task.results.filter((r) => r.message.error !== undefined).map((r) => r.signer))
    const caught = tally.invalid.filter((signer) => !failedBy.has(signer))
    return { passed, caught }
  }

  /** Recomputes the tally that counts and the job's counters: returns the previous and the new tally. */
  retally(
    index: number,
    task: TaskRecord,
    context: Omit<TallyContext, 'sealedHash' | 'checkedHash' | 'outputOk'>,
  ): [TaskTally | undefined, TaskTally] {
    const previous = task.tally
    const next = tallyTask(task.results, this.rules!, {
      ...context,
      sealedHash: this.seals.get(index)?.outputHash,
      checkedHash: this.checkedHash(task),
      outputOk: this.outputOk,
    })
    task.tally = next
    this.count(previous, -1)
    this.count(next, 1)
    this.counted.update(previous, next)
    this.counted.takeChanged()
    return [previous, next]
  }

  private count(tally: TaskTally | undefined, sign: 1 | -1): void {
    if (tally?.status === 'validated') this.validated += sign
    else if (tally?.status === 'failed') this.failed += sign
  }

  /**
   * Records a claim. A claimer's first claim of a task makes its slot, judged by the claimer's
   * `standing` then (see `claimHoldsUntil`); later claims can only bring its lease end closer:
   * the earliest wins, whatever the order of arrival, and a claim with a lease end in the past
   * gives the task up (a peer that stops early says so rather than letting its lease run out).
   * A claim that could hold nothing is not recorded, unless it is this peer's own (`mine`).
   *
   * @returns the claimer's lease end (undefined before the announce gives `leaseMs`), or null when not recorded
   */
  recordClaim(
    task: TaskRecord,
    signer: string,
    leaseEnd: number,
    now: number,
    standing: ClaimStanding,
    mine = false,
  ): number | undefined | null {
    let at = task.claimers.indexOf(signer)
    if (at < 0) {
      const rank = this.claimCounts.get(signer) ?? 0
      if (!mine && (!claimMayHold(standing, rank) || !this.roomForClaim(task, now))) return null
      this.claimCounts.set(signer, rank + 1)
      // A hold that ran out begins again only with a claim by a signer with validated work:
      // honest contributors wait for each other again, fresh keys cannot.
      const over =
        task.holdStart !== undefined &&
        this.announce !== undefined &&
        now >= task.holdStart + this.announce.leaseMs
      if (task.holdStart === undefined || (over && standing === 'established')) task.holdStart = now
      at = task.claimers.length
      task.claimers.push(signer)
      const slot: ClaimSlot = { seenAt: now, leaseEnd, standing, rank, holdStart: task.holdStart }
      // This peer's own slot stays: it is how the market knows never to take the task twice.
      if (mine) slot.own = true
      task.claims.push(slot)
    } else if (leaseEnd < task.claims[at]!.leaseEnd) {
      task.claims[at]!.leaseEnd = leaseEnd
    }
    return this.announce === undefined ? undefined : this.leaseEnd(task, at)
  }

  /**
   * Whether a task has room for one more claimer: slots that hold nothing any more are dropped
   * first. Dropping one is safe: a claimer that claims again is bound by the task's hold start.
   */
  private roomForClaim(task: TaskRecord, now: number): boolean {
    if (task.claims.length < MAX_CLAIM_SLOTS) return true
    if (this.announce === undefined) return false
    for (let i = task.claims.length - 1; i >= 0; i--) {
      if (this.leaseEnd(task, i) <= now && task.claims[i]!.own !== true) {
        task.claims.splice(i, 1)
        task.claimers.splice(i, 1)
      }
    }
    return task.claims.length < MAX_CLAIM_SLOTS
  }

  /**
   * Forgets a claimer's slot on a task, for this peer's own claim it gives back: it may then
   * claim the task again. The task's hold is left as it is.
   *
   * @returns whether the claimer had a slot
   */
  forgetClaim(task: TaskRecord, claimer: string): boolean {
    const at = task.claimers.indexOf(claimer)
    if (at < 0) return false
    task.claimers.splice(at, 1)
    task.claims.splice(at, 1)
    return true
  }

  /** Tasks of this job a claimer has claimed so far. */
  claimRank(signer: string): number {
    return this.claimCounts.get(signer) ?? 0
  }

  /** A result by a signer with standing moved the task on: its next claim starts a new hold. */
  movedOn(task: TaskRecord): void {
    task.holdStart = undefined
  }

  /** The lease end of the `at`-th claimer of a task (the announce must be known). */
  leaseEnd(task: TaskRecord, at: number): number {
    return claimHoldsUntil(task.claims[at]!, this.announce!.leaseMs)
  }

  /**
   * Claims by peers other than `self` that still hold the task: unexpired, unanswered, not blocked.
   * A claimer for whom `alone` holds counts as the whole quorum (its answer will do by itself).
   */
  liveClaims(
    task: TaskRecord,
    now: number,
    self: string,
    isBlocked: (peer: string) => boolean,
    alone?: (peer: string) => boolean,
  ): number {
    let live = 0
    for (let i = 0; i < task.claimers.length; i++) {
      const claimer = task.claimers[i]!
      if (claimer === self || this.leaseEnd(task, i) <= now) continue
      if (hasResultBy(task, claimer) || isBlocked(claimer)) continue
      live += alone?.(claimer) === true ? this.rules!.quorum : 1
    }
    return live
  }
}

/** Whether a signer's result for the task is known (a private answer, opened or not, counts). */
export function hasResultBy(task: TaskRecord, signer: string): boolean {
  for (const result of task.results) if (result.signer === signer) return true
  return answeredBy(task, signer)
}
