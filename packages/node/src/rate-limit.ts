/** A token bucket's size: `burst` at once, refilled at `perSecond`. */
export interface RateLimit {
  burst: number
  perSecond: number
}

/** What a peer's next message is, measured against its limit. */
export type RateVerdict = 'within' | 'over' | 'flooding'

interface Buckets {
  /** Tokens of the allowance, then of the tolerance beyond it, as of `at`. */
  allowance: number
  tolerance: number
  at: number
}

/**
 * A token bucket per peer, and a second one behind it. Messages within the first are `within`;
 * the next `burst` beyond it are `over` (dropped without blame: an honest peer relaying a flood
 * may pass some on); past both, a peer sends at more than twice its limit for longer than a burst
 * lasts, and is `flooding`. Peers whose buckets are full again are dropped from memory.
 */
export class PeerRateLimit {
  private readonly limit: RateLimit
  private readonly now: () => number
  private readonly peers = new Map<string, Buckets>()

  constructor(limit: RateLimit, now: () => number) {
    this.limit = limit
    this.now = now
  }

  /** Counts one message of `peer`. */
  take(peer: string): RateVerdict {
    const now = this.now()
    const { burst, perSecond } = this.limit
    let buckets = this.peers.get(peer)
    if (buckets === undefined) {
      if (this.peers.size >= 1024) this.forgetRested(now)
      this.peers.set(peer, (buckets = { allowance: burst, tolerance: burst, at: now }))
    }
    // Refill the allowance first; what would overflow it refills the tolerance.
    let refill = (Math.max(0, now - buckets.at) / 1000) * perSecond
    buckets.at = now
    const toAllowance = Math.min(refill, burst - buckets.allowance)
    buckets.allowance += toAllowance
    refill -= toAllowance
    buckets.tolerance = Math.min(burst, buckets.tolerance + refill)
    if (buckets.allowance >= 1) {
      buckets.allowance--
      return 'within'
    }
    if (buckets.tolerance >= 1) {
      buckets.tolerance--
      return 'over'
    }
    return 'flooding'
  }

  /** Peers tracked now. */
  get size(): number {
    return this.peers.size
  }

  private forgetRested(now: number): void {
    const { burst, perSecond } = this.limit
    for (const [peer, buckets] of this.peers) {
      const refill = (Math.max(0, now - buckets.at) / 1000) * perSecond
      if (buckets.allowance + buckets.tolerance + refill >= 2 * burst) this.peers.delete(peer)
    }
  }
}
