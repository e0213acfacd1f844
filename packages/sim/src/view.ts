import { replicasNeeded, tallyTask } from '@p2pc/market'
import type { ResultEnvelope, TallyContext, TallyRules, TaskTally } from '@p2pc/market'
import type { DeliveryLog } from './log.ts'
import { RESULT } from './log.ts'
import type { Network } from './network.ts'

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
}

/**
 * Computes contributors' views of tasks with the market's own pure functions
 * (`tallyTask`, `replicasNeeded`) over the task's messages that the contributor has
 * seen. Live claims are counted the way the market counts them: by other peers, lease
 * not over (a claimer holds a task at most `leaseMs` after its first claim was seen),
 * no result from the claimer seen, claimer not blocked.
 */
export class Viewer {
  private readonly log: DeliveryLog
  private readonly network: Network
  private readonly rules: TallyRules
  private readonly context: TallyContext
  private readonly empty: TaskTally
  private readonly leaseMs: number
  private readonly blocked: Uint8Array
  // Scratch space, reused by every call.
  private readonly results: ResultEnvelope[] = []
  private readonly resultSenders: number[] = []
  private readonly claimers: number[] = []
  private readonly claimSeen: number[] = []
  private readonly claimEnds: number[] = []
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
    this.claimSeen.length = 0
    this.claimEnds.length = 0
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
        results.push(message.envelope as ResultEnvelope)
        senders.push(sender)
        if (sender !== peer && view.other === undefined) view.other = message.envelope as ResultEnvelope
      } else if (sender !== peer) {
        this.seeClaim(sender, seenAt, message.leaseEnd)
      }
    }
    const tally = results.length === 0 ? this.empty : tallyTask(results, this.rules, this.context)
    view.settled = tally.status !== 'pending'
    let live = 0
    for (let i = 0; i < claimers.length; i++) {
      const claimer = claimers[i]!
      const end = Math.min(this.claimEnds[i]!, this.claimSeen[i]! + this.leaseMs)
      if (end <= now || this.blocked[claimer] === 1 || senders.includes(claimer)) continue
      live++
      if (end < view.wakeAt) view.wakeAt = end
    }
    view.needed = replicasNeeded(tally, live)
    return view
  }

  /** Records a claim as the market does: one slot per claimer, its first time seen and its latest lease end. */
  private seeClaim(claimer: number, seenAt: number, leaseEnd: number): void {
    const at = this.claimers.indexOf(claimer)
    if (at < 0) {
      this.claimers.push(claimer)
      this.claimSeen.push(seenAt)
      this.claimEnds.push(leaseEnd)
      return
    }
    // Messages are in order of sending, not of arrival: keep the earliest arrival.
    if (seenAt < this.claimSeen[at]!) this.claimSeen[at] = seenAt
    if (leaseEnd > this.claimEnds[at]!) this.claimEnds[at] = leaseEnd
  }
}
