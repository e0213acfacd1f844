import { claimHoldsUntil, replicasNeeded, tallyTask } from '@p2pc/market'
import type { ClaimSlot, ResultEnvelope, TallyContext, TallyRules, TaskTally } from '@p2pc/market'
import type { ClaimFacts, DeliveryLog, SimMessage } from './log.ts'
import { RESULT } from './log.ts'
import type { Network } from './network.ts'
import { contextWithCheck } from './spot-checks.ts'

/** What one contributor knows of one task at one time, computed from the messages it has seen. */
export interface TaskView {
  /** The peer sent a claim or a result for the task: the market never takes a task twice. */
  touched: boolean
  /** The peer sent a result for the task. */
  answered: boolean
  /** Validated or failed, as far as the peer can tell. */
  settled: boolean
  /** `replicasNeeded` of the peer's tally and the live claims by others it sees. */
  needed: number
  /** The earliest lease end among those live claims (Infinity when none): when the task may free up. */
  wakeAt: number
  /** A result by another peer that the peer sees: what a copycat copies. */
  other: ResultEnvelope | undefined
}

/** What a view needs to know of the world. */
export interface ViewerInit {
  log: DeliveryLog
  network: Network
  rules: TallyRules
  /** Who is blocked and who has standing, as the publisher's market says: filled in once it exists. */
  context: TallyContext
  leaseMs: number
  /** Contributors that the readers block (a shared blocklist; see the package README). */
  blocked: Uint8Array
  /** Peer ids by index: contributors, then the publisher. */
  names: readonly string[]
  /** Index of the publisher in `names`. */
  publisher: number
  /** The job's answers are private: no contributor can read another's answer, so there is nothing to copy. @default false */
  privateAnswers?: boolean
}

/**
 * Computes contributors' views of tasks with the market's own pure functions
 * (`tallyTask`, `replicasNeeded`, `claimHoldsUntil`) over the task's messages that the
 * contributor has seen. Live claims are counted the way the market counts them: one slot
 * per signing identity (not per peer: a jammer signs each claim with a fresh key), made by its
 * first claim heard, held as `claimHoldsUntil` says, by others, no result from the claimer
 * seen, claimer not blocked. What the slot is judged by:
 *
 * - **standing**: `established` when the claimer had standing or validated work when it sent
 *   the claim, as the publisher's market said then (`context.hasStanding`), else `newcomer`.
 *   The market judges it when the claim is heard, by its own reputation counts: a claim is
 *   heard one latency later, and reputation is shared (see the package README).
 * - **rank**: the tasks of the job the claimer had claimed before, from its own count
 *   when it sent the claim (a claim's tasks get consecutive ranks). A claim a newcomer's
 *   rank keeps from holding leaves no slot and starts no hold, as in the market.
 * - **hold start**: the earliest claim seen since the latest seen result by a signer with
 *   standing (standing now, where the market judges it when the result is heard); a claim seen
 *   before that result takes its own arrival, where the market would take the hold start of
 *   its time, which is no later: the view may count such a claim live longer than the market.
 *
 * The market's other bounds on claims are left out. Unanswered claims cost a signer its claims
 * only beyond its validated results plus an allowance, judged when it claims again: a fresh key
 * never claims again and, like a ghost or a flooder, never has validated work, so the newcomer
 * rule already bounds it to a few tasks; an honest peer leaves a few claims unanswered only when
 * it leaves. A task's cap on claim slots refuses a new claimer only while every slot still holds.
 */
export class Viewer {
  private readonly log: DeliveryLog
  private readonly network: Network
  private readonly rules: TallyRules
  private readonly context: TallyContext
  private readonly empty: TaskTally
  private readonly leaseMs: number
  private readonly blocked: Uint8Array
  private readonly names: readonly string[]
  private readonly publisherName: string
  private readonly publisherIndex: number
  private readonly privateAnswers: boolean
  // Scratch space, reused by every call.
  private readonly results: ResultEnvelope[] = []
  private readonly resultSenders: number[] = []
  /** One claim slot per identity: its first claim seen that may hold (own claims included, for the hold start). */
  private readonly claimers: number[] = []
  private readonly claims: SimMessage[] = []
  private readonly claimSeen: number[] = []
  /** Scratch: each slot's hold start, and the slots seen since the task last moved on, by time. */
  private readonly holds: number[] = []
  private readonly order: number[] = []
  private readonly claimEnds: number[] = []
  private readonly slot: ClaimSlot = {
    seenAt: 0,
    leaseEnd: 0,
    standing: 'newcomer',
    rank: 0,
    holdStart: 0,
  }
  private readonly view: TaskView = {
    touched: false,
    answered: false,
    settled: false,
    needed: 0,
    wakeAt: Infinity,
    other: undefined,
  }

  constructor(init: ViewerInit) {
    this.log = init.log
    this.network = init.network
    this.rules = init.rules
    this.context = init.context
    this.leaseMs = init.leaseMs
    this.blocked = init.blocked
    this.names = init.names
    this.publisherName = init.names[init.publisher]!
    this.publisherIndex = init.publisher
    this.privateAnswers = init.privateAnswers === true
    this.empty = tallyTask([], init.rules)
  }

  /**
   * The view of `peer` on `task` at `now`. The returned object is reused by the next
   * call: read it before looking again. With `stopIfTouched`, a task the peer touched
   * is reported as soon as that is known, with the other fields unset.
   */
  look(peer: number, task: number, now: number, stopIfTouched: boolean): Readonly<TaskView> {
    const view = this.view
    view.touched = false
    view.answered = false
    view.other = undefined
    view.wakeAt = Infinity
    const messages = this.log.of(task)
    if (messages === undefined) {
      view.settled = false
      view.needed = replicasNeeded(this.empty, 0)
      return view
    }
    const results = this.results
    const senders = this.resultSenders
    const claimers = this.claimers
    results.length = 0
    senders.length = 0
    claimers.length = 0
    this.claims.length = 0
    this.claimSeen.length = 0
    this.claimEnds.length = 0
    const hasStanding = this.context.hasStanding
    // When the latest result seen from a signer with standing moved the task on.
    let movedOnAt = -Infinity
    for (const message of messages) {
      const sender = message.sender
      if (sender === peer) {
        view.touched = true
        if (message.kind === RESULT) view.answered = true
        if (stopIfTouched) return view
      }
      const seenAt = this.network.visibleAt(peer, message)
      if (seenAt > now) continue
      if (message.kind === RESULT) {
        const result = message.envelope as ResultEnvelope
        results.push(result)
        senders.push(sender)
        if (sender !== peer && view.other === undefined && !this.privateAnswers) view.other = result
        if (seenAt > movedOnAt && (hasStanding?.(result.signer) ?? true)) movedOnAt = seenAt
      } else {
        this.seeClaim(message, task, seenAt, peer)
      }
    }
    const tally =
      results.length === 0
        ? this.empty
        : tallyTask(results, this.rules, contextWithCheck(results, this.context, this.publisherName))
    view.settled = tally.status !== 'pending'
    // Holds since the task last moved on: the first began with the first claim seen, and one that
    // has run out begins again with a claim by a signer with validated work, as in the market.
    const holds = this.holds
    holds.length = claimers.length
    const order = this.order
    order.length = 0
    for (let i = 0; i < claimers.length; i++) {
      if (this.claimSeen[i]! > movedOnAt) order.push(i)
      else holds[i] = this.claimSeen[i]!
    }
    order.sort((a, b) => this.claimSeen[a]! - this.claimSeen[b]!)
    let holdStart = Infinity
    for (const i of order) {
      const seenAt = this.claimSeen[i]!
      if (
        holdStart === Infinity ||
        (seenAt >= holdStart + this.leaseMs && this.claims[i]!.claim!.established)
      ) {
        holdStart = seenAt
      }
      holds[i] = holdStart
    }
    let live = 0
    const slot = this.slot
    for (let i = 0; i < claimers.length; i++) {
      const claimer = claimers[i]!
      if (claimer === peer || this.blocked[claimer] === 1 || senders.includes(claimer)) continue
      const facts = this.claims[i]!.claim!
      slot.seenAt = this.claimSeen[i]!
      slot.leaseEnd = this.claimEnds[i]!
      slot.standing = facts.established ? 'established' : 'newcomer'
      slot.rank = rankOf(facts, task)
      slot.holdStart = holds[i]!
      const end = claimHoldsUntil(slot, this.leaseMs)
      if (end <= now) continue
      // In an adaptive job a credible claimer's answer will do alone, as in the market.
      live += this.rules.adaptive === true && this.isCredible(claimer) ? this.rules.quorum : 1
      if (end < view.wakeAt) view.wakeAt = end
    }
    view.needed = replicasNeeded(tally, live)
    return view
  }

  /** Whether a contributor is credible with the publisher (a fresh key never is). */
  private isCredible(identity: number): boolean {
    const name = this.names[identity]
    return name !== undefined && identity < this.publisherIndex && this.context.credible?.(name) === true
  }

  /**
   * Records a claim as `peer`'s market does: one slot per identity, made by its first claim
   * heard that may hold; later claims can only bring its lease end closer. Another's claim that
   * a newcomer's rank keeps from holding is not recorded at all.
   */
  private seeClaim(message: SimMessage, task: number, seenAt: number, peer: number): void {
    const facts = message.claim!
    // The market records its own claims whatever its standing: they count toward the hold start.
    if (facts.identity !== peer && !mayHold(facts, task)) return
    const at = this.claimers.indexOf(facts.identity)
    if (at < 0) {
      this.claimers.push(facts.identity)
      this.claims.push(message)
      this.claimSeen.push(seenAt)
      this.claimEnds.push(message.leaseEnd)
      return
    }
    // Messages are in order of sending, not of arrival: the earliest arrival makes the slot.
    if (seenAt < this.claimSeen[at]!) {
      this.claims[at] = message
      this.claimSeen[at] = seenAt
    }
    if (message.leaseEnd < this.claimEnds[at]!) this.claimEnds[at] = message.leaseEnd
  }
}

/** Whether a claim may hold a task, by its claimer's standing and rank (see `claimMayHold`). */
function mayHold(facts: ClaimFacts, task: number): boolean {
  return facts.established || facts.newcomerHolds.includes(task)
}

/**
 * The rank of a task in a claim: the tasks its claimer had claimed before, those ahead of it in
 * the claim included. Past a newcomer's few, or for an established claimer, the exact rank does not matter.
 */
function rankOf(facts: ClaimFacts, task: number): number {
  const at = facts.newcomerHolds.indexOf(task)
  return at < 0 ? facts.rank + facts.newcomerHolds.length : facts.rank + at
}
