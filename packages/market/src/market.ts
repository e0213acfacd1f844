import { MAX_CLAIM_TASKS, MAX_REPLICAS, jobIdOf, resultsOf } from '@p2pc/protocol'
import type { Claim, JobAnnounce, Json, Opening, Seal, TaskBatch } from '@p2pc/protocol'
import { checkRateOf } from './check-rate.ts'
import { claimMayHold } from './claim-hold.ts'
import type { ClaimStanding } from './claim-hold.ts'
import { ClaimHistory } from './claim-history.ts'
import { SpotChecks } from './checks.ts'
import type { ClaimOutcome } from './claim-history.ts'
import { ClaimQueue } from './claim-queue.ts'
import { addAnswer } from './private-answers.ts'
import { CREDIBLE_AFTER_CHECKS, DEFAULT_MAX_ACTIVE_CLAIMS, UNANSWERED_CLAIM_ALLOWANCE } from './constants.ts'
import type { CheckedErrors } from './error-estimate.ts'
import { InvalidParametersError, UnknownJobError } from './errors.ts'
import { rendezvousSeed } from './hash.ts'
import { MinHeap } from './heap.ts'
import { JobState, hasResultBy } from './job-state.ts'
import type { TaskRecord } from './job-state.ts'
import { Reputation, defaultBlockRule } from './reputation.ts'
import type { SignerStats } from './reputation.ts'
import { replicasNeeded } from './tally.ts'
import type { OutputEquals, ResultEnvelope, TaskTally } from './tally.ts'
import { trustPredicate } from './trust.ts'
import type {
  FailedTask,
  JobView,
  Market,
  MarketAction,
  MarketEnvelope,
  MarketInit,
  SpotCheckRecord,
  TaskView,
  ValidatedOutput,
} from './types.ts'

/** A task this peer holds. */
interface ActiveClaim {
  job: JobState
  task: number
  leaseEnd: number
}

class TaskMarket<E extends MarketEnvelope> implements Market<E> {
  readonly self: string
  private maxActiveClaims = 0
  private minClaimSize = 1
  private readonly answersPrivately: boolean
  private readonly trusts: (publisher: string) => boolean
  private readonly works: (jobId: string) => boolean
  /** Counts over the tallies that count: what `signer()` reports, credit included. */
  private readonly reputation: Reputation
  /**
   * Counts over the raw tallies, in which nobody is excluded: what blocking and standing are
   * judged on. Two layers, so that neither feeds back into itself: every reader gets the same
   * blocked signers and the same standing from the same envelopes, in any order.
   */
  private readonly rawReputation: Reputation
  /** Spot checks passed and failed, per publisher: who is caught, who is credible (see `SpotChecks`). */
  private readonly checks = new SpotChecks()
  /** Each signer's tasks with a result, so that a change of its standing re-tallies just those. */
  private readonly resultsBySigner = new Map<string, Map<JobState, Set<number>>>()
  /** Set when some signer's block state changed: parked tasks may need replicas again. */
  private blockChanged = false
  /** Every job mentioned so far, announced or not. */
  private readonly jobs = new Map<string, JobState>()
  /** Announced jobs, in order of arrival: the order in which this peer looks for work. */
  private readonly announced: JobState[] = []
  private readonly seen = new Set<string>()
  /** Lease ends of other peers' claims, so that `tick` frees their tasks without scanning. */
  private readonly leases = new MinHeap<JobState>()
  private readonly active: ActiveClaim[] = []
  private actions: Array<MarketAction<E>> = []
  private readonly isBlocked: (peer: string) => boolean
  /** Other peers' claims, judged once over: claims left unanswered cost their claimer its standing to claim. */
  private readonly claimHistory = new ClaimHistory<{ job: JobState; task: number }>(judgeClaim)
  /** The latest time seen by `receive` or `tick`, for the methods that take none. */
  private now = Number.NEGATIVE_INFINITY

  constructor(init: MarketInit) {
    if (typeof init?.self !== 'string' || init.self === '') {
      throw new InvalidParametersError('options.self must be a non-empty peer id string')
    }
    this.self = init.self
    this.setCapacity({
      maxActiveClaims: init.maxActiveClaims ?? DEFAULT_MAX_ACTIVE_CLAIMS,
      minClaimSize: init.minClaimSize,
    })
    this.trusts = trustPredicate(init)
    this.answersPrivately = init.answersPrivately === true
    if (init.works !== undefined && typeof init.works !== 'function') {
      throw new InvalidParametersError('options.works must be a function')
    }
    this.works = init.works ?? (() => true)
    this.reputation = new Reputation(init.blockRule ?? defaultBlockRule)
    this.rawReputation = new Reputation(init.blockRule ?? defaultBlockRule)
    this.isBlocked = (peer) => this.rawReputation.isBlocked(peer)
  }

  setCapacity({
    maxActiveClaims,
    minClaimSize = 1,
  }: {
    maxActiveClaims: number
    minClaimSize?: number
  }): void {
    if (!Number.isInteger(maxActiveClaims) || maxActiveClaims < 0 || maxActiveClaims > MAX_CLAIM_TASKS) {
      throw new InvalidParametersError(
        `options.maxActiveClaims must be an integer from 0 to ${MAX_CLAIM_TASKS}`,
      )
    }
    if (!Number.isInteger(minClaimSize) || minClaimSize < 1 || minClaimSize > Math.max(1, maxActiveClaims)) {
      throw new InvalidParametersError('options.minClaimSize must be an integer from 1 to maxActiveClaims')
    }
    this.maxActiveClaims = maxActiveClaims
    this.minClaimSize = minClaimSize
  }

  receive(envelope: E, now: number): boolean {
    this.now = Math.max(this.now, now)
    if (this.seen.has(envelope.id)) return false
    this.seen.add(envelope.id)
    const kept = this.accept(envelope, now)
    if (kept && envelope.message.type !== 'Claim') this.actions.push({ type: 'persist', envelope })
    if (this.blockChanged) {
      this.blockChanged = false
      this.recheckParked(now)
    }
    return kept
  }

  private accept(envelope: MarketEnvelope, now: number): boolean {
    const { id, signer, message } = envelope
    switch (message.type) {
      case 'JobAnnounce':
        return this.onAnnounce(signer, message)
      case 'TaskBatch':
        return this.onBatch(id, signer, message)
      case 'Claim':
        return this.onClaim(signer, message, now)
      case 'Result':
        return this.onResult({ id, signer, message }, now)
      case 'ResultBatch': {
        // Each entry counts as the Result it stands for, named after the batch so that every
        // reader breaks ties between one signer's answers the same way.
        let kept = false
        for (const [i, result] of resultsOf(message).entries()) {
          if (this.onResult({ id: `${id}#${i}`, signer, message: result }, now)) kept = true
        }
        return kept
      }
      case 'Seal':
        return this.onSeal(id, signer, message)
      case 'Cancel': {
        const job = this.jobOf(message.jobId)
        const { kept, cancelled } = job.offerCancel(signer)
        if (cancelled) this.cancelled(job)
        return kept
      }
      default:
        return false
    }
  }

  private onAnnounce(signer: string, announce: JobAnnounce): boolean {
    if (announce.publisher !== signer) return false
    const job = this.jobOf(jobIdOf(announce))
    if (job.announce !== undefined) return false
    job.setAnnounce(announce)
    this.announced.push(job)
    // Claims and results that came first are judged now that the job's rules are known.
    for (const [index, task] of job.tasks) {
      for (let i = 0; i < task.claimers.length; i++) this.leases.push(job.leaseEnd(task, i), index, job)
      if (
        task.results.length > 0 ||
        task.answers !== undefined ||
        job.seals.has(index) ||
        job.targets.has(index)
      )
        this.retally(job, index, task)
    }
    if (job.cancelled) this.cancelled(job)
    return true
  }

  /** A job its publisher cancelled: its claims here are dropped, and the peer told to stop its tasks. */
  private cancelled(job: JobState): void {
    for (let i = this.active.length - 1; i >= 0; i--)
      if (this.active[i]!.job === job) this.active.splice(i, 1)
    this.actions.push({ type: 'cancel', jobId: job.id })
  }

  private onSeal(id: string, signer: string, message: Seal): boolean {
    const job = this.jobOf(message.jobId)
    const { kept, changed } = job.offerSeal({ id, signer, message })
    for (const index of changed) this.retally(job, index, job.task(index))
    return kept
  }

  private onBatch(id: string, signer: string, message: TaskBatch): boolean {
    const job = this.jobOf(message.jobId)
    const outcome = job.offerBatch({ id, signer, message })
    if (outcome === 'accepted' && job.work !== undefined) this.extendWork(job, message.batch)
    return outcome !== 'ignored'
  }

  private onClaim(signer: string, claim: Claim, now: number): boolean {
    const job = this.jobOf(claim.jobId)
    const taskCount = job.announce?.taskCount ?? Infinity
    const mine = signer === this.self
    const standing = mine ? 'established' : this.claimStanding(job, signer, now)
    let kept = false
    for (const index of claim.tasks) {
      if (index >= taskCount) continue
      kept = true
      // A claim that can hold nothing leaves no trace: fresh keys' claims cost no memory.
      if (!mine && !claimMayHold(standing, job.claimRank(signer)) && !job.tasks.has(index)) continue
      const task = job.task(index)
      const first = !task.claimers.includes(signer)
      const end = job.recordClaim(task, signer, claim.leaseEnd, now, standing, mine)
      if (end === null || mine) continue
      if (first) this.claimHistory.add(signer, { job, task: index })
      if (end === undefined) continue
      if (end > now) this.leases.push(end, index, job)
      // A lease already over (a claim given up, or heard late): the task may need a replica now.
      else this.reopenIfNeeded(job, index, task, now)
    }
    return kept
  }

  /**
   * What a claimer's claims may hold, judged when a claim of it is heard: its job's publisher and
   * signers with validated work hold a lease, fresh keys a little, and signers that are blocked
   * or have let too many claims run out unanswered (beyond their validated results) nothing.
   */
  private claimStanding(job: JobState, signer: string, now: number): ClaimStanding {
    if (signer === job.announce?.publisher) return 'established'
    if (this.excludedIn(job, signer)) return 'ignored'
    const valid = this.reputation.valid(signer)
    if (this.claimHistory.unanswered(signer, now) >= valid + UNANSWERED_CLAIM_ALLOWANCE) return 'ignored'
    return valid > 0 ? 'established' : 'newcomer'
  }

  private onResult(result: ResultEnvelope, now: number): boolean {
    const index = result.message.task
    const job = this.jobOf(result.message.jobId)
    if (job.announce !== undefined && index >= job.announce.taskCount) return false
    if (result.signer === this.self) this.dropActive(job, index)
    // A boxed answer where answers are public, or one in the open where they are private, means nothing.
    if (job.announce !== undefined && !job.accepts(result)) return false
    const task = job.task(index)
    // An equivocation that loses (a larger id) is still kept, so that every peer sees both and picks the same.
    if (job.announce === undefined ? addAnswer(task, result) : job.takeResult(task, result)) {
      this.indexResult(result.signer, job, index)
      if (job.announce !== undefined) {
        this.retally(job, index, task)
        // Progress that fresh keys cannot fake: a result by a signer that has earned something.
        if (this.standingIn(job, result.signer) || this.reputation.valid(result.signer) > 0) job.movedOn(task)
        this.reopenIfNeeded(job, index, task, now)
      }
    }
    return true
  }

  private indexResult(signer: string, job: JobState, index: number): void {
    let jobs = this.resultsBySigner.get(signer)
    if (jobs === undefined) this.resultsBySigner.set(signer, (jobs = new Map()))
    let tasks = jobs.get(job)
    if (tasks === undefined) jobs.set(job, (tasks = new Set()))
    tasks.add(index)
  }

  /**
   * Re-tallies one task: first its raw tally, which may change some signers' standing in the job
   * or their block state, then the tally that counts, here and in every task of those signers.
   */
  private retally(job: JobState, index: number, task: TaskRecord): void {
    // Only this task's signers can gain or lose a valid raw result, and with it standing in the job.
    const hadStanding = new Map<string, boolean>()
    for (const { signer } of task.results) hadStanding.set(signer, job.raw.valid(signer) > 0)
    const publisher = job.announce!.publisher
    const [rawBefore, rawAfter, verdictBefore, verdict] = job.retallyRaw(index, task, (signer) =>
      this.checks.isCaught(publisher, signer),
    )
    this.rawReputation.update(rawBefore, rawAfter)
    this.checks.update(publisher, verdictBefore, verdict)
    this.retallyCounted(job, index, task)
    const ripple = this.rawReputation.takeChanged()
    if (ripple.size > 0) this.blockChanged = true
    for (const [signer, had] of hadStanding) if (had !== job.raw.valid(signer) > 0) ripple.add(signer)
    const skip = (other: JobState, at: number): boolean => other === job && at === index
    for (const signer of ripple) this.retallySigner(signer, skip)
    // Caught or credible now: that counts in this publisher's jobs only, and a catch in their raw
    // tallies too, so the whole tally again. Raw tallies outside checked tasks make no verdicts,
    // so this ends: no catch changes again.
    for (const [checker, signers] of this.checks.takeChanged()) {
      this.blockChanged = true
      for (const signer of signers) this.retallyAllOf(signer, checker, skip)
    }
  }

  /** Re-tallies, raw and counted, every task a signer answered in one publisher's jobs. */
  private retallyAllOf(
    signer: string,
    publisher: string,
    skip: (job: JobState, index: number) => boolean,
  ): void {
    for (const [other, indexes] of this.resultsBySigner.get(signer) ?? []) {
      if (other.announce?.publisher !== publisher) continue
      for (const at of indexes) if (!skip(other, at)) this.retally(other, at, other.task(at))
    }
  }

  /** Re-tallies what counts in every task a signer answered. */
  private retallySigner(signer: string, skip: (job: JobState, index: number) => boolean = () => false): void {
    for (const [other, indexes] of this.resultsBySigner.get(signer) ?? []) {
      if (other.announce === undefined) continue
      for (const at of indexes) if (!skip(other, at)) this.retallyCounted(other, at, other.task(at))
    }
  }

  /**
   * Whose results count for nothing in a job: blocked signers, and those its publisher's spot
   * checks caught giving a wrong output (in that publisher's jobs only: see `SpotChecks`).
   */
  private excludedIn(job: JobState, signer: string): boolean {
    const publisher = job.announce?.publisher
    return this.isBlocked(signer) || (publisher !== undefined && this.checks.isCaught(publisher, signer))
  }

  /** Whether a signer's word alone validates a task of an adaptive job: credible with its publisher, not blocked. */
  private credibleIn(job: JobState, signer: string): boolean {
    return this.checks.isCredible(job.announce!.publisher, signer) && !this.isBlocked(signer)
  }

  /** The tally that counts: blocked signers excluded, only signers with standing can fail the task. */
  private retallyCounted(job: JobState, index: number, task: TaskRecord): void {
    const [previous, next] = job.retally(index, task, {
      excluded: (signer) => this.excludedIn(job, signer),
      hasStanding: (signer) => this.standingIn(job, signer),
      credible: (signer) => this.credibleIn(job, signer),
    })
    this.reputation.update(previous, next)
    this.reputation.takeChanged()
    // The publisher seals only once it judges outputs by its workload's schema: a seal is for good.
    if (
      next.status === 'validated' &&
      job.judged &&
      job.announce!.publisher === this.self &&
      !job.seals.has(index) &&
      !job.sealsAsked.has(index)
    ) {
      job.sealsAsked.add(index)
      this.actions.push({ type: 'seal', jobId: job.id, task: index, outputHash: next.outputHash! })
    }
    // Open again after it was validated (a signer of its winning class was caught, say): when it
    // settled, this peer's draw passed it over, and the next to settle it may be one more of the
    // same group, whose answer came while it stood. Left to the draw, such tasks would never be
    // checked, and a liar that answers only them never caught; so this peer checks it itself.
    if (
      previous?.status === 'validated' &&
      next.status === 'pending' &&
      job.announce!.publisher === this.self &&
      (job.announce!.spotCheckRate ?? 0) > 0
    ) {
      this.askCheck(job, index)
    }
    if (job.privateAnswers && job.judged && job.announce!.publisher === this.self) {
      this.revealOrRaise(job, index, task, next)
    }
  }

  /** Asks this peer, the job's publisher, to answer a task itself as a check: once per task. */
  private askCheck(job: JobState, index: number): void {
    if (job.checksAsked.has(index)) return
    job.checksAsked.add(index)
    this.actions.push({ type: 'check', jobId: job.id, task: index })
  }

  /**
   * The publisher of a job with private answers: once a task is settled, it asks to open the
   * answers it counted, so that every reader can tally them; while it is open, it asks to raise
   * the target that only it can see grow (answers that disagree, or that it could not read).
   */
  private revealOrRaise(job: JobState, index: number, task: TaskRecord, tally: TaskTally): void {
    if (tally.status !== 'pending') {
      const opened = job.openedOf(index, task)
      if (opened.answers.length <= (job.openedAsked.get(index) ?? 0)) return
      job.openedAsked.set(index, opened.answers.length)
      this.actions.push({ type: 'open', jobId: job.id, opened })
      return
    }
    // Open again after its answers were revealed (the signer that settled it was caught since, say):
    // answers heard while it was settled were never opened, and any heard from now on may copy
    // what was revealed. This peer's own answer decides it.
    if ((job.openedAsked.get(index) ?? 0) > 0) this.askCheck(job, index)
    // Readers count every answer as one on its way; the tally counts neither strangers' noise
    // outside the largest class, nor answers it could not read, nor those of signers it leaves
    // out (blocked or caught). The target makes up the difference.
    // (An answer the driver has yet to open is in neither: it is judged once it has read the box.)
    const known = task.results.length + (task.unreadable?.size ?? 0)
    const uncounted = Math.max(0, known - tally.distinct)
    const target = Math.min(MAX_REPLICAS, tally.target + uncounted)
    if (target <= Math.max(job.rules!.quorum, job.targetsAsked.get(index) ?? 0)) return
    job.targetsAsked.set(index, target)
    this.actions.push({ type: 'target', jobId: job.id, task: index, target })
  }

  open(jobId: string, index: number, opening: Opening, output?: Json): boolean {
    const job = this.jobs.get(jobId)
    if (job?.announce === undefined || job.announce.publisher !== this.self) return false
    if (!Number.isInteger(index) || index < 0 || index >= job.announce.taskCount) return false
    const task = job.task(index)
    if (!job.openLocally(task, index, opening, output)) return false
    this.retally(job, index, task)
    this.reopenIfNeeded(job, index, task, this.now)
    return true
  }

  unreadable(jobId: string, index: number, signer: string): void {
    const job = this.jobs.get(jobId)
    if (job?.announce === undefined || job.announce.publisher !== this.self || !job.privateAnswers) return
    if (!Number.isInteger(index) || index < 0 || index >= job.announce.taskCount) return
    const task = job.task(index)
    const unreadable = (task.unreadable ??= new Set())
    if (unreadable.has(signer)) return
    unreadable.add(signer)
    this.retallyCounted(job, index, task)
  }

  /**
   * Standing in a job: its publisher, every signer with a valid result in one of its raw tallies,
   * and every signer credible with its publisher, when not blocked or caught. A fresh key has none
   * until it agrees with a quorum.
   */
  private standingIn(job: JobState, signer: string): boolean {
    if (signer === job.announce!.publisher) return true
    if (this.excludedIn(job, signer)) return false
    return job.raw.valid(signer) > 0 || this.checks.isCredible(job.announce!.publisher, signer)
  }

  tick(now: number): void {
    this.now = Math.max(this.now, now)
    while (this.leases.size > 0 && this.leases.topPrimary <= now) {
      const index = this.leases.topSecondary
      const job = this.leases.pop()!
      this.reopenIfNeeded(job, index, job.tasks.get(index), now)
    }
    for (let i = this.active.length - 1; i >= 0; i--) {
      if (this.active[i]!.leaseEnd <= now) this.active.splice(i, 1)
    }
    this.fill(now)
  }

  /** Claims tasks for free slots: jobs in order of arrival, each job's tasks in this peer's rendezvous order. */
  private fill(now: number): void {
    let free = this.maxActiveClaims - this.active.length
    if (free < this.minClaimSize) return
    for (const job of this.announced) {
      if (free <= 0) return
      if (job.complete || job.cancelled || !this.trusts(job.announce!.publisher) || !this.works(job.id))
        continue
      // Answering in the open where answers are private would hand copycats the answer.
      if (job.privateAnswers && !this.answersPrivately) continue
      const work = job.work ?? this.startWork(job)
      const picked: number[] = []
      const inputs: Json[] = []
      while (picked.length < free) {
        const index = work.pop()
        if (index === undefined) break
        if (work.isParked(index)) continue
        const task = job.tasks.get(index)
        if (task !== undefined && (job.isSettled(index) || this.hasTouched(task))) continue
        const input = job.inputOf(index)
        if (input === undefined) continue
        if (this.needed(job, index, task, now) <= 0) {
          work.park(index)
          continue
        }
        picked.push(index)
        inputs.push(input)
      }
      if (picked.length > 0) this.claim(job, picked, inputs, now)
      free -= picked.length
    }
  }

  /** Whether this peer claimed or answered the task already: it never takes a task twice. */
  private hasTouched(task: TaskRecord): boolean {
    return task.claimers.includes(this.self) || hasResultBy(task, this.self)
  }

  private startWork(job: JobState): ClaimQueue {
    const work = new ClaimQueue(rendezvousSeed(this.self, job.id))
    job.work = work
    for (const [first, count] of job.coveredRanges()) work.pushRange(first, count)
    for (const cid of job.missingInputs()) this.actions.push({ type: 'fetch', jobId: job.id, cid })
    return work
  }

  private extendWork(job: JobState, batchIndex: number): void {
    const range = job.coveredRange(batchIndex)
    if (range !== undefined) job.work!.pushRange(range[0], range[1])
    const cid = job.missingCid(batchIndex)
    if (cid !== undefined) this.actions.push({ type: 'fetch', jobId: job.id, cid })
  }

  private claim(job: JobState, picked: number[], inputs: Json[], now: number): void {
    const announce = job.announce!
    const leaseEnd = now + announce.leaseMs
    for (const index of picked) {
      job.recordClaim(job.task(index), this.self, leaseEnd, now, 'established', true)
      this.active.push({ job, task: index, leaseEnd })
    }
    this.actions.push({ type: 'claim', jobId: job.id, tasks: picked, leaseEnd })
    for (let i = 0; i < picked.length; i++) {
      this.actions.push({
        type: 'run',
        jobId: job.id,
        task: picked[i]!,
        input: inputs[i]!,
        workload: announce.workload,
        leaseEnd,
      })
    }
  }

  private needed(job: JobState, index: number, task: TaskRecord | undefined, now: number): number {
    if (task === undefined) return replicasNeeded(job.empty!, 0)
    return this.replicasOf(job, index, task, this.liveClaims(job, task, now))
  }

  /**
   * Replicas a task still wants. Where answers are private, a reader's tally sees only opened
   * answers: every answer counts as one on its way, and the publisher's targets say what only it
   * can see. Both count every answer, whoever sent it, so that what this peer would leave out
   * (a signer it blocks, one caught) cannot make it count fewer than the publisher raised for.
   * The publisher opens every answer as it comes: its own tally is the truth.
   */
  private replicasOf(job: JobState, index: number, task: TaskRecord, liveClaims: number): number {
    const tally = task.tally ?? job.empty!
    if (!job.privateAnswers || job.announce!.publisher === this.self) {
      return replicasNeeded(tally, liveClaims)
    }
    const target = Math.max(tally.target, job.targets.get(index) ?? 0)
    const answered = Math.max(tally.distinct, job.answerCount(task))
    return replicasNeeded({ status: tally.status, target, distinct: answered }, liveClaims)
  }

  /** Other peers' claims that hold a task, as replicas on their way (see `JobState.liveClaims`). */
  private liveClaims(job: JobState, task: TaskRecord, now: number): number {
    const excluded = (peer: string): boolean => this.excludedIn(job, peer)
    // In an adaptive job a credible claimer's answer will do alone, unless someone disagrees.
    const alone = job.rules!.adaptive === true ? (peer: string) => this.credibleIn(job, peer) : undefined
    return job.liveClaims(task, now, this.self, excluded, alone)
  }

  /** Puts a task this peer passed over back into its walk when it may need a replica again. */
  private reopenIfNeeded(job: JobState, index: number, task: TaskRecord | undefined, now: number): void {
    const work = job.work
    if (work === undefined || !work.isParked(index)) return
    if (job.isSettled(index)) work.forget(index)
    else if (this.needed(job, index, task, now) > 0) work.unpark(index)
  }

  private recheckParked(now: number): void {
    for (const job of this.announced) {
      if (job.work === undefined) continue
      for (const index of job.work.parkedTasks()) this.reopenIfNeeded(job, index, job.tasks.get(index), now)
    }
  }

  private dropActive(job: JobState, index: number): void {
    const at = this.active.findIndex((claim) => claim.job === job && claim.task === index)
    if (at >= 0) this.active.splice(at, 1)
  }

  private jobOf(jobId: string): JobState {
    let job = this.jobs.get(jobId)
    if (job === undefined) {
      job = new JobState(jobId)
      this.jobs.set(jobId, job)
    }
    return job
  }

  takeActions(): Array<MarketAction<E>> {
    const actions = this.actions
    this.actions = []
    // A seal asked for before the publisher's own seal was heard (replaying its log) is not asked again.
    return actions.filter((a) => a.type !== 'seal' || this.jobs.get(a.jobId)?.seals.has(a.task) !== true)
  }

  supplyInputs(jobId: string, cid: string, inputs: Json[]): boolean {
    if (!Array.isArray(inputs)) throw new InvalidParametersError('inputs must be an array')
    const job = this.jobOf(jobId)
    const completed = job.supplyInputs(cid, inputs)
    if (job.work !== undefined) {
      for (const batchIndex of completed) {
        const range = job.coveredRange(batchIndex)
        if (range !== undefined) job.work.pushRange(range[0], range[1])
      }
    }
    return completed.length > 0
  }

  release(jobId: string, task: number): void {
    const job = this.jobs.get(jobId)
    if (job !== undefined) this.dropActive(job, task)
  }

  giveBack(jobId: string, task: number): void {
    const job = this.jobs.get(jobId)
    if (job === undefined) return
    this.dropActive(job, task)
    const record = job.tasks.get(task)
    if (record === undefined || hasResultBy(record, this.self) || !job.forgetClaim(record, this.self)) return
    // Back into this peer's walk, where it waits its turn in rendezvous order like any task.
    if (job.work !== undefined && !job.isSettled(task)) job.work.push(task)
  }

  setEquals(jobId: string, equals: OutputEquals | undefined): void {
    if (equals !== undefined && typeof equals !== 'function') {
      throw new InvalidParametersError('equals must be a function or undefined')
    }
    const job = this.jobOf(jobId)
    job.setEquals(equals)
    this.retallyJob(job)
  }

  setOutputCheck(jobId: string, check: ((output: Json) => boolean) | undefined): void {
    if (check !== undefined && typeof check !== 'function') {
      throw new InvalidParametersError('check must be a function or undefined')
    }
    const job = this.jobOf(jobId)
    job.setOutputCheck(check)
    this.retallyJob(job)
  }

  private retallyJob(job: JobState): void {
    if (job.announce === undefined) return
    for (const [index, task] of job.tasks) if (task.results.length > 0) this.retally(job, index, task)
    this.blockChanged = false
    // Any parked task of any job may have changed: a new grouping can settle tasks or block signers.
    this.recheckParked(this.now)
  }

  jobIds(): string[] {
    return this.announced.map((job) => job.id)
  }

  job(jobId: string): JobView | undefined {
    const job = this.jobs.get(jobId)
    const announce = job?.announce
    if (job === undefined || announce === undefined) return undefined
    const { validated, failed } = job
    return {
      jobId,
      announce,
      status: job.complete ? 'complete' : job.cancelled ? 'cancelled' : 'open',
      progress: {
        total: announce.taskCount,
        validated,
        failed,
        pending: announce.taskCount - validated - failed,
      },
      checks: { made: job.verdicts.size, disagreed: job.disagreed.size },
      missingInputs: job.missingInputs(),
    }
  }

  task(jobId: string, index: number, now: number): TaskView | undefined {
    const job = this.jobs.get(jobId)
    if (
      job?.announce === undefined ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= job.announce.taskCount
    ) {
      return undefined
    }
    const task = job.tasks.get(index)
    const tally = task?.tally ?? job.empty!
    const liveClaims = task === undefined ? 0 : this.liveClaims(job, task, now)
    return {
      index,
      status: tally.status,
      tally,
      liveClaims,
      needed: task === undefined ? replicasNeeded(tally, 0) : this.replicasOf(job, index, task, liveClaims),
      input: job.inputOf(index),
    }
  }

  outputs(jobId: string): ValidatedOutput[] {
    const job = this.jobs.get(jobId)
    if (job?.announce === undefined) throw new UnknownJobError(`No announce is known for job ${jobId}`)
    const indexes: number[] = []
    for (const [index, task] of job.tasks) if (task.tally?.status === 'validated') indexes.push(index)
    indexes.sort((a, b) => a - b)
    return indexes.map((index) => {
      const tally = job.tasks.get(index)!.tally!
      const { outputHash, output, verified } = tally
      return { index, input: job.inputOf(index), outputHash: outputHash!, output, verified: verified! }
    })
  }

  failures(jobId: string): FailedTask[] {
    const job = this.jobs.get(jobId)
    if (job?.announce === undefined) throw new UnknownJobError(`No announce is known for job ${jobId}`)
    const indexes: number[] = []
    if (job.failed > 0) {
      for (const [index, task] of job.tasks) if (task.tally?.status === 'failed') indexes.push(index)
    }
    indexes.sort((a, b) => a - b)
    return indexes.map((index) => {
      const tally = job.tasks.get(index)!.tally!
      return { index, input: job.inputOf(index), results: tally.distinct, failure: tally.failure! }
    })
  }

  hasStanding(jobId: string, signer: string): boolean {
    const job = this.jobs.get(jobId)
    return job?.announce !== undefined && this.standingIn(job, signer)
  }

  signer(peerId: string): SignerStats {
    return this.statsOf(peerId)
  }

  checkedErrors(jobId: string): CheckedErrors {
    const job = this.jobs.get(jobId)
    if (job?.announce === undefined) return { checked: 0, wouldErr: 0 }
    const publisher = job.announce.publisher
    // Credible by the checks passed, whether or not this very check caught the signer: a liar
    // that built a record is counted as what the rule would have believed.
    const credible =
      job.rules!.adaptive === true
        ? (signer: string) =>
            this.checks.passed(publisher, signer) >= CREDIBLE_AFTER_CHECKS && !this.isBlocked(signer)
        : undefined
    let wouldErr = 0
    for (const index of job.verdicts.keys()) {
      if (job.wouldErr(index, job.task(index), { excluded: this.isBlocked, credible })) wouldErr++
    }
    return { checked: job.verdicts.size, wouldErr }
  }

  checkRate(jobId: string, index: number): number {
    const job = this.jobs.get(jobId)
    const tally = job?.tasks.get(index)?.tally
    if (job?.announce === undefined || tally === undefined) return 0
    const publisher = job.announce.publisher
    const credible = (signer: string): boolean =>
      this.checks.isCredible(publisher, signer) && !this.isBlocked(signer)
    return checkRateOf(job.announce.spotCheckRate ?? 0, job.announce.quorum, tally, credible)
  }

  spotChecks(jobId: string, signer: string): SpotCheckRecord {
    const publisher = this.jobs.get(jobId)?.announce?.publisher
    if (publisher === undefined) return { passed: 0, caught: false, credible: false }
    return {
      passed: this.checks.passed(publisher, signer),
      caught: this.checks.isCaught(publisher, signer),
      credible: this.checks.isCredible(publisher, signer) && !this.isBlocked(signer),
    }
  }

  signers(jobId?: string): SignerStats[] {
    const job = jobId === undefined ? undefined : this.jobs.get(jobId)
    if (jobId !== undefined && job === undefined) return []
    const counted = job?.counted ?? this.reputation
    const raw = job?.raw ?? this.rawReputation
    const peers = new Set(counted.all().map((stats) => stats.peerId))
    for (const stats of raw.all()) if (this.isBlocked(stats.peerId)) peers.add(stats.peerId)
    return [...peers].sort().map((peerId) => this.statsOf(peerId, counted, raw))
  }

  /**
   * A signer's counts over the tallies that count. A blocked signer's results count for nothing,
   * so its valid results and credit are zero; its invalid count is the raw one that blocked it.
   */
  private statsOf(peerId: string, counted = this.reputation, raw = this.rawReputation): SignerStats {
    if (!this.isBlocked(peerId)) return counted.stats(peerId)
    return { peerId, valid: 0, invalid: raw.stats(peerId).invalid, creditMs: 0, blocked: true }
  }

  activeClaims(): Array<{ jobId: string; task: number; leaseEnd: number }> {
    return this.active.map(({ job, task, leaseEnd }) => ({ jobId: job.id, task, leaseEnd }))
  }

  // Forgetting a job: the driver's bound on what strangers make this peer keep.

  forget(jobId: string, envelopeIds: Iterable<string> = []): boolean {
    for (const id of envelopeIds) this.seen.delete(id)
    const job = this.jobs.get(jobId)
    if (job === undefined) return false
    this.jobs.delete(jobId)
    const at = this.announced.indexOf(job)
    if (at >= 0) this.announced.splice(at, 1)
    for (let i = this.active.length - 1; i >= 0; i--)
      if (this.active[i]!.job === job) this.active.splice(i, 1)
    // Its leases stay in the heap until they end; with no walk, their expiry reopens nothing.
    job.work = undefined
    const signers = new Set<string>()
    const publisher = job.announce?.publisher
    if (publisher !== undefined) {
      for (const verdict of job.verdicts.values()) this.checks.update(publisher, verdict, undefined)
    }
    for (const task of job.tasks.values()) {
      this.rawReputation.update(task.raw, undefined)
      this.reputation.update(task.tally, undefined)
      this.reputation.takeChanged()
      for (const { signer } of task.results) signers.add(signer)
    }
    for (const signer of signers) {
      const jobs = this.resultsBySigner.get(signer)
      jobs?.delete(job)
      if (jobs?.size === 0) this.resultsBySigner.delete(signer)
    }
    // Signers whose block state this job decided are judged again wherever else they answered.
    const ripple = this.rawReputation.takeChanged()
    for (const signer of ripple) this.retallySigner(signer)
    const checked = this.checks.takeChanged()
    for (const [by, checkedSigners] of checked) {
      for (const signer of checkedSigners) this.retallyAllOf(signer, by, () => false)
    }
    if (ripple.size > 0 || checked.size > 0) this.recheckParked(this.now)
    return true
  }
}

/** Where another peer's claim stands: answered once its result is known, else live until its hold ends. */
function judgeClaim(
  { job, task }: { job: JobState; task: number },
  claimer: string,
  now: number,
): ClaimOutcome {
  const record = job.tasks.get(task)
  if (record !== undefined && hasResultBy(record, claimer)) return 'answered'
  const at = record === undefined ? -1 : record.claimers.indexOf(claimer)
  // Before the announce no lease is known: nothing is judged yet.
  if (at >= 0 && (job.announce === undefined || job.leaseEnd(record!, at) > now)) return 'live'
  return 'unanswered'
}

/**
 * Creates the work market of one peer: a sans-IO state machine. The driver feeds it
 * verified envelopes with `receive`, lets time pass with `tick`, and carries out the
 * actions it queues (`persist`, `claim`, `run`, `fetch`).
 *
 * @example
 * ```ts
 * const market = createMarket({ self: peerIdOf(key), trust: new Set([publisherId]) })
 * market.receive(await openEnvelope(bytes), clock.now())
 * market.tick(clock.now())
 * for (const action of market.takeActions()) {
 *   if (action.type === 'persist') await store.put(action.envelope)
 *   if (action.type === 'claim') {
 *     const { jobId, tasks, leaseEnd } = action
 *     await publish(await sealEnvelope({ type: 'Claim', v: 1, jobId, tasks, leaseEnd }, key))
 *   }
 *   if (action.type === 'run') runThenFeedBackTheSignedResult(action)
 * }
 * ```
 *
 * @throws InvalidParametersError when an option is invalid
 */
export function createMarket<E extends MarketEnvelope = MarketEnvelope>(init: MarketInit): Market<E> {
  return new TaskMarket<E>(init)
}
