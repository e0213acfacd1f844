import { claimMayHold, tallyTask } from '@p2pc/market'
import type { ResultEnvelope, TallyContext, TallyRules, TaskTally } from '@p2pc/market'
import { commitmentOf } from '@p2pc/protocol'
import type { Claim, Result } from '@p2pc/protocol'
import type { EventQueue } from './event-queue.ts'
import type { ClaimFacts, DeliveryLog, SimMessage } from './log.ts'
import { CLAIM, RESULT } from './log.ts'
import type { Network } from './network.ts'
import { contextWithCheck } from './spot-checks.ts'
import type { Viewer } from './view.ts'
import type { OpenTasks } from './walk.ts'
import { WaitList } from './waiting.ts'
import type { IsWaiting } from './waiting.ts'

/** Kinds of event on the agenda; each carries up to three integers `a`, `b`, `c`. */
export const EVENT = {
  /** A contributor starts (or resumes) working: a = peer, c = epoch. */
  start: 0,
  /** A contributor finished computing a task: a = peer, b = task, c = epoch. */
  done: 1,
  /** The lease of a claim this contributor never answers runs out: a = peer, b = task, c = epoch. */
  release: 2,
  /** A contributor sees something new about a task it waits on: a = peer, b = task, c = epoch. */
  recheck: 3,
  /** The earliest lease that a waiter on a task saw ends: a = task. */
  wake: 4,
  /** A contributor goes offline: a = peer. */
  leave: 5,
  /** A contributor comes back: a = peer. */
  back: 6,
  /** A flooder sends a burst of junk: a = peer, c = epoch. */
  flood: 7,
  /** A reader receives a message: a = reader, b = message. */
  deliver: 8,
  /** The readers' markets let time pass (expire leases). */
  readerTick: 9,
  /** A contributor's market ticks: it claims work for its free slots. a = peer, c = epoch. */
  tick: 10,
  /** A jammer sends a burst of claims under fresh keys: a = peer, c = epoch. */
  jam: 11,
} as const

/** Counts of what was sent. */
export interface Traffic {
  claims: number
  results: number
  /** Messages of flooders and jammers. */
  junk: number
  /** Envelopes handed to reader markets. */
  deliveries: number
}

/** What the parts of a run share: the clock, the log, the network, and the job's parameters. */
export interface WorldInit {
  queue: EventQueue
  log: DeliveryLog
  network: Network
  viewer: Viewer
  open: OpenTasks
  rules: TallyRules
  /** Who is blocked and who has standing, as the publisher's market says. */
  context: TallyContext
  jobId: string
  taskCount: number
  leaseMs: number
  /** How often contributors tick. */
  tickMs: number
  /** Peer ids: contributors, then the publisher, then the observers. */
  names: string[]
  contributors: number
  readers: number
  blocked: Uint8Array
  /** The job's answers are private: results travel boxed for the publisher. */
  privateAnswers: boolean
  isWaiting: IsWaiting
  /** Whether a contributor waits on a task to copy the next result it sees (a copycat). */
  isCopying: IsWaiting
  /** A task settled before is open again: every contributor may walk it once more. */
  onReopen(task: number): void
}

/** The shared state of a run, and the one way to send a claim or a result. */
export class World {
  readonly queue: EventQueue
  readonly log: DeliveryLog
  readonly network: Network
  readonly viewer: Viewer
  readonly open: OpenTasks
  readonly rules: TallyRules
  readonly context: TallyContext
  readonly jobId: string
  readonly taskCount: number
  readonly leaseMs: number
  readonly tickMs: number
  readonly names: string[]
  readonly contributors: number
  readonly readers: number
  readonly blocked: Uint8Array
  readonly privateAnswers: boolean
  /** The epoch of each contributor: bumped when it leaves, so that its pending events go stale. */
  readonly epochs: Int32Array
  /** Contributors waiting on each task (parked, or a copycat waiting for a result to copy). */
  readonly waits: WaitList
  /**
   * The results that settled each task, once some did: a peer that sees them all sees
   * the task settled (settling is monotone), whatever else it sees.
   */
  readonly settlers: Array<SimMessage[] | undefined>
  private readonly onReopen: (task: number) => void
  private readonly isCopying: IsWaiting
  /** The target of each task's tally over every result sent so far: a result that raises it may need more replicas. */
  private readonly targets: Uint8Array
  /** Tasks each contributor claimed: where to look when it gets blocked. */
  readonly claimed: number[][]
  readonly traffic: Traffic = { claims: 0, results: 0, junk: 0, deliveries: 0 }
  /** Tasks of the job each identity has claimed so far (a claim's rank), by identity. */
  private readonly claimCounts: number[] = []
  /** The next fresh identity: past the contributors, the publisher and the observers. */
  private nextIdentity: number
  /** Set when the publisher's market has settled every task (or time is up): contributors stop. */
  stopped = false

  constructor(init: WorldInit) {
    this.queue = init.queue
    this.log = init.log
    this.network = init.network
    this.viewer = init.viewer
    this.open = init.open
    this.rules = init.rules
    this.context = init.context
    this.jobId = init.jobId
    this.taskCount = init.taskCount
    this.leaseMs = init.leaseMs
    this.tickMs = init.tickMs
    this.names = init.names
    this.contributors = init.contributors
    this.readers = init.readers
    this.blocked = init.blocked
    this.privateAnswers = init.privateAnswers
    this.epochs = new Int32Array(init.contributors)
    this.onReopen = init.onReopen
    this.isCopying = init.isCopying
    this.targets = new Uint8Array(init.taskCount).fill(init.rules.quorum)
    this.waits = new WaitList(init.taskCount, init.queue, EVENT.wake, init.isWaiting)
    this.claimed = Array.from({ length: init.contributors }, () => [])
    this.settlers = new Array<SimMessage[] | undefined>(init.taskCount).fill(undefined)
    this.nextIdentity = init.names.length
  }

  /** Index of the first reader (the publisher); observers follow. */
  get publisher(): number {
    return this.contributors
  }

  /**
   * Sends a claim of `tasks` (indexes out of range are junk that only readers see). The claim
   * records what the claim-hold rule judges it by (see `ClaimFacts`): its signer's standing as
   * the publisher's market sees it now, and its rank, from the signer's own count of the tasks
   * it claimed before.
   *
   * @param identity who signs it: the sender by default, or a key from {@link freshIdentity}
   * @param jobId another job's id for junk; the run's job by default
   */
  sendClaim(
    sender: number,
    tasks: number[],
    leaseEnd: number,
    identity = sender,
    jobId = this.jobId,
  ): SimMessage {
    const now = this.queue.now
    const inJob = jobId === this.jobId ? tasks.filter((task) => task < this.taskCount) : []
    const signer = this.nameOf(identity)
    const rank = this.claimCounts[identity] ?? 0
    this.claimCounts[identity] = rank + inJob.length
    const established = this.context.hasStanding?.(signer) ?? true
    const held = established ? inJob : inJob.filter((_, i) => claimMayHold('newcomer', rank + i))
    const facts: ClaimFacts = { identity, established, rank, newcomerHolds: established ? [] : held }
    // Like the market, a claim leaves no trace on a task it cannot hold, so that a fresh key's
    // hundreds of tasks cost no view anything; only its sender must still see that it touched them.
    const message = this.log.append(
      CLAIM,
      sender,
      now,
      leaseEnd,
      -1,
      identity === sender ? inJob : held,
      (id) => ({
        id: envelopeId(id),
        signer,
        message: { type: 'Claim', v: 1, jobId, tasks, leaseEnd } satisfies Claim,
      }),
      facts,
    )
    this.traffic.claims++
    if (identity === sender && sender < this.contributors) {
      for (const task of inJob) this.claimed[sender]!.push(task)
    }
    this.toReaders(message, 0)
    return message
  }

  /** A new identity, never used before: a fresh key, numbered beyond every peer's index. */
  freshIdentity(): number {
    return this.nextIdentity++
  }

  /** The peer id an identity signs as: a peer's name, or a fresh key's, unique per key. */
  nameOf(identity: number): string {
    return this.names[identity] ?? `sim-key-${identity}`
  }

  /**
   * Sends a result, inline. Contributors waiting on the task are told when they see it.
   *
   * @param jobId another job's id for junk; the run's job by default
   */
  sendResult(
    sender: number,
    task: number,
    output: string,
    durationMs: number,
    jobId = this.jobId,
    check = false,
  ): SimMessage {
    const now = this.queue.now
    const inJob = jobId === this.jobId && task < this.taskCount
    const message = this.log.append(RESULT, sender, now, NaN, task, inJob ? [task] : [], (id) => ({
      id: envelopeId(id),
      signer: this.names[sender]!,
      message: {
        type: 'Result',
        v: 1,
        jobId,
        task,
        outputHash: output,
        output,
        runtime: 'sim',
        durationMs: Math.max(0, Math.round(durationMs)),
        ...(check ? { check: true as const } : {}),
      } satisfies Result,
    }))
    this.traffic.results++
    if (this.privateAnswers && inJob && !check) boxAnswer(message)
    this.toReaders(message, 0)
    if (inJob && this.open.deadAt[task] === Infinity) this.settle(task)
    // In an adaptive job a credible signer's lone word stands only until someone with standing
    // disagrees: settling is monotone no more there, and such a task is open again.
    else if (inJob && this.rules.adaptive === true) this.reopenIfUnsettled(task)
    if (inJob) {
      // A peer parks a task that enough results and claims hold, and its market looks again only
      // when a lease ends, a claimer is blocked, or the task settles or needs more: a result that
      // neither settles the task nor raises its target changes nothing for it. A copycat waits
      // for any result.
      const moved = this.moves(task)
      this.waits.forEach(task, (peer) => {
        if (!moved && !this.isCopying(peer, task)) return
        const seenAt = this.network.visibleAt(peer, message)
        if (seenAt < Infinity) this.queue.schedule(seenAt, EVENT.recheck, peer, task, this.epochs[peer])
      })
    }
    return message
  }

  /** Whether the results sent for a task now settle it or raise its target above what it was. */
  private moves(task: number): boolean {
    const tally = this.tally(this.resultsOf(task))
    const raised = tally.target > this.targets[task]!
    this.targets[task] = tally.target
    return raised || tally.status !== 'pending'
  }

  /**
   * Once the results sent for a task settle it, every peer will see it settled by the
   * time the last of them reaches everyone: from then on walks drop it unseen.
   */
  private settle(task: number): void {
    const messages: SimMessage[] = []
    const results: ResultEnvelope[] = []
    let latest = 0
    for (const message of this.log.of(task)!) {
      if (message.kind !== RESULT) continue
      messages.push(message)
      results.push(message.envelope as ResultEnvelope)
      latest = Math.max(latest, this.network.latestVisibleAt(message))
    }
    if (this.tally(results).status === 'pending') return
    this.open.deadAt[task] = latest
    this.settlers[task] = messages
  }

  /**
   * A task whose settling results no longer settle it (a signer in them is blocked now) is open
   * again. With `known`, so is one the world never saw settled: in an adaptive job a signer's
   * lone word settled it when that signer became credible, with no result sent then.
   */
  private reopenIfUnsettled(task: number, known = true): void {
    const settlers = this.settlers[task]
    if (settlers === undefined && known) return
    if (this.tally(this.resultsOf(task)).status !== 'pending') return
    this.settlers[task] = undefined
    this.open.revive(task)
    this.onReopen(task)
  }

  /** Where a task's results leave it, the publisher's spot check among them included. */
  private tally(results: readonly ResultEnvelope[]): TaskTally {
    const context = contextWithCheck(results, this.context, this.names[this.publisher]!)
    return tallyTask(results, this.rules, context)
  }

  /** Every result sent for a task. */
  private resultsOf(task: number): ResultEnvelope[] {
    const results: ResultEnvelope[] = []
    for (const message of this.log.of(task)!) {
      if (message.kind === RESULT) results.push(message.envelope as ResultEnvelope)
    }
    return results
  }

  /**
   * A peer saw a task settled that the world had not marked so: in an adaptive job, one signer's
   * word settles its task once that signer becomes credible, with no result sent then. Marked now,
   * walks drop the task, as they drop every other settled one.
   */
  noteSettled(task: number): void {
    if (this.open.deadAt[task] === Infinity && this.settlers[task] === undefined) this.settle(task)
  }

  /** Whether a peer surely sees a task settled: it sees every result that settled it. */
  seesSettled(peer: number, task: number, now: number): boolean {
    const settlers = this.settlers[task]
    if (settlers === undefined) return false
    for (const message of settlers) if (this.network.visibleAt(peer, message) > now) return false
    return true
  }

  /** Sends a message to the readers again (a duplicate), `delay` ms after it was first sent. */
  resend(message: SimMessage): void {
    this.toReaders(message, this.queue.now - message.sentAt)
  }

  /** Schedules the delivery of a message to every reader that will see it. */
  toReaders(message: SimMessage, delay: number): void {
    for (let r = 0; r < this.readers; r++) {
      const seenAt = this.network.visibleAt(this.publisher + r, message)
      if (seenAt === Infinity) continue
      message.pending++
      this.queue.schedule(seenAt + delay, EVENT.deliver, r, message.id)
    }
    if (message.pending === 0 && message.kind !== RESULT) message.envelope = undefined
  }

  /**
   * Schedules a misbehaving peer's next burst (`event`), `intervalMs` from now jittered by up to
   * half either way, as `draw` (a hash) says; it goes stale if the peer leaves meanwhile.
   */
  scheduleBurst(peer: number, event: number, intervalMs: number, draw: number): void {
    const jitter = 0.5 + (draw % 1000) / 1000
    this.queue.schedule(this.queue.now + intervalMs * jitter, event, peer, 0, this.epochs[peer])
  }

  /** Tells the contributors waiting on the tasks a newly blocked peer claimed: its claims no longer hold them. */
  onBlocked(peer: number): void {
    const now = this.queue.now
    for (const task of new Set(this.claimed[peer])) {
      this.reopenIfUnsettled(task, this.rules.adaptive !== true)
      this.waits.forEach(task, (waiter) =>
        this.queue.schedule(now, EVENT.recheck, waiter, task, this.epochs[waiter]),
      )
    }
  }
}

/** Boxes a private answer for the readers: a commitment to its output and a box; the opening stays with the message. */
function boxAnswer(message: SimMessage): void {
  const { id, signer, message: result } = message.envelope as ResultEnvelope
  const salt = message.id.toString(16).padStart(32, '0')
  const { output: _output, ...rest } = result
  message.opening = { signer, outputHash: result.outputHash, salt }
  message.wire = {
    id,
    signer,
    message: { ...rest, outputHash: commitmentOf(result.outputHash, signer, salt), box: 'c2lt' } as Result,
  }
}

function envelopeId(id: number): string {
  return `m${id}`
}
