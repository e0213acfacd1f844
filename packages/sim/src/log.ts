// The shared delivery log. Every message is appended ONCE, with its sender and send time; who sees it
// and when is a pure function of the network (see network.ts), so a peer's view of a task can be
// computed on demand from the task's few messages instead of keeping a copy per peer.
import type { MarketEnvelope } from '@p2pc/market'
import type { Opening } from '@p2pc/protocol'

/** Kinds of message. Announces, batches and results are synced (anti-entropy); claims are gossip hints only. */
export const ANNOUNCE = 0
export const BATCH = 1
export const CLAIM = 2
export const RESULT = 3

/**
 * What the views need of a claim beyond its lease: who signed it and what its signer had earned
 * when it sent it, as the claim-hold rule judges it (see `Viewer`).
 */
export interface ClaimFacts {
  /**
   * The identity that signed the claim: its sender's index, or a fresh key's number, beyond every
   * peer's index, for a claimer that signs each claim with a new key (a jammer).
   */
  identity: number
  /** Whether the signer had standing or validated work when it sent the claim, as the publisher's market says. */
  established: boolean
  /** Tasks of the job its signer had claimed before this claim: the claim's `i`-th task has rank `rank + i`. */
  rank: number
  /**
   * A newcomer's claim: the tasks its rank lets it hold, its first few in the job in the order
   * sent (the `i`-th has rank `rank + i`). Empty for an established signer's claim, which may hold all.
   */
  newcomerHolds: readonly number[]
}

/** One message sent by one peer. */
export class SimMessage {
  /** Position in the log. */
  readonly id: number
  readonly kind: number
  /** Index of the sender (contributors first, then the publisher and the observers). */
  readonly sender: number
  readonly sentAt: number
  /** A claim's lease end as sent; NaN for other kinds. */
  readonly leaseEnd: number
  /** A result's task; -1 for other kinds. */
  readonly task: number
  /** A claim's signer and standing; undefined for other kinds. */
  readonly claim: ClaimFacts | undefined
  /**
   * The envelope readers receive, a plain object with valid fields: the markets take
   * already-verified envelopes. Results keep theirs, as the contributors' views tally
   * them; the others are dropped once every reader has it.
   */
  envelope: MarketEnvelope | undefined
  /**
   * A private answer (see `SimulationOptions.answers`): what readers receive instead of
   * `envelope`, a commitment and a box, and the opening only the publisher can read from the box.
   * The world and the contributors' views go on tallying `envelope`, as the publisher would.
   */
  wire: MarketEnvelope | undefined = undefined
  opening: Opening | undefined = undefined
  /** Reader deliveries still to come. */
  pending = 0

  constructor(
    id: number,
    kind: number,
    sender: number,
    sentAt: number,
    leaseEnd: number,
    task: number,
    envelope: MarketEnvelope,
    claim?: ClaimFacts,
  ) {
    this.id = id
    this.kind = kind
    this.sender = sender
    this.sentAt = sentAt
    this.leaseEnd = leaseEnd
    this.task = task
    this.envelope = envelope
    this.claim = claim
  }

  /** Whether anti-entropy sync brings the message to a peer that missed it. */
  get synced(): boolean {
    return this.kind !== CLAIM
  }
}

/** Every message, and the claims and results of each task. */
export class DeliveryLog {
  readonly messages: SimMessage[] = []
  private readonly byTask: Array<SimMessage[] | undefined>

  constructor(taskCount: number) {
    this.byTask = new Array<SimMessage[] | undefined>(taskCount).fill(undefined)
  }

  /**
   * Appends a message; `tasks` are the tasks whose view it enters (none for junk outside the job).
   * A claim comes with its {@link ClaimFacts}.
   */
  append(
    kind: number,
    sender: number,
    sentAt: number,
    leaseEnd: number,
    task: number,
    tasks: readonly number[],
    envelope: (id: number) => MarketEnvelope,
    claim?: ClaimFacts,
  ): SimMessage {
    const id = this.messages.length
    const message = new SimMessage(id, kind, sender, sentAt, leaseEnd, task, envelope(id), claim)
    this.messages.push(message)
    for (const index of tasks) {
      const list = this.byTask[index]
      if (list === undefined) this.byTask[index] = [message]
      else list.push(message)
    }
    return message
  }

  /** The claims and results of a task, in order of sending. */
  of(task: number): readonly SimMessage[] | undefined {
    return this.byTask[task]
  }
}
