import type { Random } from './random.ts'

/** Who churns, and when. */
export interface ChurnPlan {
  /** Fraction of the contributors that leave once during the run; half of them come back, half leave for good. */
  churn: number
  /** Contributors. */
  peers: number
  /** Rough length of the run, in ms: churn times are spread over it. */
  horizonMs: number
}

/**
 * When each peer is online: from `joinAt` to `leaveAt`, then again from `backAt`.
 * Peers past the contributors (the publisher and the observers) are always online.
 */
export class Presence {
  readonly joinAt: Float64Array
  readonly leaveAt: Float64Array
  readonly backAt: Float64Array
  /** Contributors that leave at some point; of them, `returning` come back. */
  leaving = 0
  returning = 0
  /** Contributors that are offline at the start and join later. */
  joining = 0

  constructor(peers: number) {
    this.joinAt = new Float64Array(peers)
    this.leaveAt = new Float64Array(peers).fill(Infinity)
    this.backAt = new Float64Array(peers).fill(Infinity)
  }

  /**
   * Draws the churn of a run: `round(churn · peers)` contributors leave at a time spread
   * over the horizon, half of them returning later and half for good; and
   * `round(churn · peers / 2)` others are late, joining during the first half.
   */
  static plan(plan: ChurnPlan, random: Random): Presence {
    const presence = new Presence(plan.peers)
    const order = random.shuffle(Array.from({ length: plan.peers }, (_, i) => i))
    const leaving = Math.round(plan.churn * plan.peers)
    const joining = Math.min(plan.peers - leaving, Math.round((plan.churn * plan.peers) / 2))
    const horizon = plan.horizonMs
    for (let i = 0; i < leaving; i++) {
      const peer = order[i]!
      const leaveAt = random.between(0.05, 0.9) * horizon
      presence.leaveAt[peer] = leaveAt
      if (i % 2 === 0) {
        presence.backAt[peer] = leaveAt + random.between(0.1, 0.5) * horizon
        presence.returning++
      }
    }
    for (let i = leaving; i < leaving + joining; i++) {
      presence.joinAt[order[i]!] = random.between(0.05, 0.5) * horizon
    }
    presence.leaving = leaving
    presence.joining = joining
    return presence
  }

  /** Whether a peer is online at a time. */
  isOnline(peer: number, time: number): boolean {
    if (peer >= this.joinAt.length) return true
    return time >= this.joinAt[peer]! && (time < this.leaveAt[peer]! || time >= this.backAt[peer]!)
  }
}
