import type { Presence } from './churn.ts'
import type { SimMessage } from './log.ts'
import { fmix32, hash32, unitOf } from './random.ts'

/** A time window during which peers in different groups do not reach each other. */
export interface Partition {
  /** Start of the window, in sim ms. */
  startMs: number
  /** End of the window (the partition heals), in sim ms. */
  endMs: number
  /** Number of groups; each peer falls into one, drawn from the seed. */
  groups: number
}

/** What the network is made of. */
export interface NetworkInit {
  seed: number
  /** Mean one-way latency in ms; each (peer, message) draws its own, so messages overtake each other. */
  latencyMs: number
  /** Probability that one delivery attempt of a gossip message to one peer fails. */
  loss: number
  /** Gossipsub's heartbeat: a message a peer missed in the mesh is offered again (IHAVE/IWANT) at the next one. */
  heartbeatMs: number
  /** Period of anti-entropy sync, which brings announces, batches and results (never claims) a peer still lacks. */
  syncMs: number
  partitions: readonly Partition[]
  presence: Presence
}

/** Latency is at most this many times its mean (the exponential tail is cut there). */
export const MAX_LATENCY_FACTOR = 5

const SALT_LATENCY = 0x6c617465
const SALT_LOSS = 0x6c6f7373
const SALT_REPAIR = 0x72657061
const SALT_LOST = 0x6c6f7374
const SALT_SYNC = 0x73796e63
const SALT_GROUP = 0x67727570
const SALT_RECONNECT = 0x7265636f

/**
 * The network as a pure function: when (if ever) a peer sees a message, from the
 * seed, the peer and the message alone, so that a view can be computed on demand.
 *
 * - Gossip arrives after a latency drawn per (peer, message): `latencyMs · (½ + ½·Exp(1))`,
 *   at least half the mean and at most {@link MAX_LATENCY_FACTOR} times it; independent
 *   draws reorder messages.
 * - With probability `loss` the peer misses it in the mesh; gossip repair offers it again
 *   half a heartbeat to a heartbeat and a half later. With probability `loss` that fails
 *   too: a claim is then lost for good (claims are hints, never synced); announces,
 *   batches and results come with the next anti-entropy round, within `syncMs`.
 * - During a partition, peers of different groups do not reach each other: claims between
 *   them are lost; synced messages arrive once it heals and the peers reconnect and sync
 *   (one to two heartbeats).
 * - A claim that would arrive while the peer is offline is lost; synced messages are caught
 *   up by the peer itself when it comes back (the agent syncs before it works again).
 */
export class Network {
  private readonly seed: number
  private readonly latencyMs: number
  private readonly loss: number
  private readonly heartbeatMs: number
  private readonly syncMs: number
  private readonly partitions: readonly Partition[]
  private readonly presence: Presence

  constructor(init: NetworkInit) {
    this.seed = init.seed
    this.latencyMs = init.latencyMs
    this.loss = init.loss
    this.heartbeatMs = init.heartbeatMs
    this.syncMs = init.syncMs
    this.partitions = [...init.partitions].sort((a, b) => a.startMs - b.startMs)
    this.presence = init.presence
  }

  /** When the peer first sees the message, or Infinity when it never does. */
  visibleAt(peer: number, message: SimMessage): number {
    if (peer === message.sender) return message.sentAt
    const draw = hash32(this.seed ^ SALT_LATENCY, peer, message.id)
    let time = message.sentAt + this.latency(draw)
    if (this.loss > 0 && unitOf(fmix32(draw ^ SALT_LOSS)) < this.loss) {
      time += this.heartbeatMs * (0.5 + unitOf(fmix32(draw ^ SALT_REPAIR)))
      if (unitOf(fmix32(draw ^ SALT_LOST)) < this.loss) {
        if (!message.synced) return Infinity
        time += this.syncMs * unitOf(fmix32(draw ^ SALT_SYNC))
      }
    }
    if (!message.synced) {
      if (!this.presence.isOnline(peer, time)) return Infinity
      const cut = this.partitions.length > 0 && this.separating(peer, message.sender, time) !== undefined
      return cut ? Infinity : time
    }
    for (let round = 1; this.partitions.length > 0; round++) {
      const partition = this.separating(peer, message.sender, time)
      if (partition === undefined) break
      time = partition.endMs + this.reconnectDelay(peer, message.id, round)
    }
    return time
  }

  /**
   * A time by which EVERY peer sees a synced message (as {@link visibleAt} computes
   * it): the longest latency, repair and sync delays, pushed past the end of any
   * partition the message could be caught in.
   */
  latestVisibleAt(message: SimMessage): number {
    const longestLoss = this.loss > 0 ? 1.5 * this.heartbeatMs + this.syncMs : 0
    const longestReconnect = 2 * this.heartbeatMs
    let time = message.sentAt + this.latencyMs * MAX_LATENCY_FACTOR + longestLoss
    for (let moved = true; moved;) {
      moved = false
      for (const partition of this.partitions) {
        const healed = partition.endMs + longestReconnect
        if (partition.startMs <= time && partition.endMs > message.sentAt && time < healed) {
          time = healed
          moved = true
        }
      }
    }
    return time
  }

  /** How long a peer takes to reconnect and sync after coming back or after a partition heals: one to two heartbeats. */
  reconnectDelay(peer: number, salt: number, round = 0): number {
    return this.heartbeatMs * (1 + unitOf(hash32(this.seed ^ SALT_RECONNECT, peer, salt, round)))
  }

  /** The group of a peer during the `window`-th partition (in order of start). */
  groupOf(peer: number, window: number): number {
    const partition = this.partitions[window]
    return partition === undefined ? 0 : hash32(this.seed ^ SALT_GROUP, peer, window) % partition.groups
  }

  private latency(draw: number): number {
    const exponential = Math.min(2 * MAX_LATENCY_FACTOR - 1, -Math.log(1 - unitOf(draw)))
    return this.latencyMs * (0.5 + 0.5 * exponential)
  }

  /** The partition that separates two peers at a time, if any. */
  private separating(a: number, b: number, time: number): Partition | undefined {
    for (let w = 0; w < this.partitions.length; w++) {
      const partition = this.partitions[w]!
      if (time < partition.startMs || time >= partition.endMs) continue
      if (this.groupOf(a, w) !== this.groupOf(b, w)) return partition
    }
    return undefined
  }
}
