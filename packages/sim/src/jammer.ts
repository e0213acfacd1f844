import { MAX_CLAIM_TASKS, MAX_LEASE_MS } from '@p2pc/protocol'
import { hash32 } from './random.ts'
import type { World } from './world.ts'
import { EVENT } from './world.ts'

/** Time between two bursts of a jammer, in sim ms (jittered by up to half): "a couple of claims every 25 s". */
export const JAM_INTERVAL_MS = 25_000
/** Fresh keys a jammer signs claims with in one burst, one claim per key. */
export const JAM_KEYS_PER_BURST = 2

const SALT_JAM = 0x6a616d6d

/**
 * A peer that jams the job with claims, the attack that once kept a 100-task job at 0
 * validated for minutes: it does no work, and every 25 s or so signs claims of the open tasks,
 * as many as a claim may name, with the longest lease the protocol allows, each claim under a
 * key it never used before. Keys are free, so nothing it does costs it standing; what bounds it
 * is the market's claim-hold rule: a fresh key's claims hold only its first few tasks, briefly,
 * and no claims hold a task for more than one lease between results that move it on.
 *
 * Each key's claim starts at its own place in the open tasks, so that the few tasks each key
 * may hold are different ones: the worst it can do under that rule.
 */
export class Jammer {
  readonly index: number
  private readonly world: World
  private readonly seed: number
  private bursts = 0

  constructor(index: number, world: World, seed: number) {
    this.index = index
    this.world = world
    this.seed = seed
  }

  /** Schedules the next burst. */
  next(): void {
    const draw = hash32(this.seed ^ SALT_JAM, this.index, this.bursts, 1)
    this.world.scheduleBurst(this.index, EVENT.jam, JAM_INTERVAL_MS, draw)
  }

  /** Signs one claim per fresh key of the open tasks it sees, then schedules the next burst. */
  burst(): void {
    const world = this.world
    const now = world.queue.now
    const n = this.bursts++
    const { tasks, count } = world.open
    for (let key = 0; key < JAM_KEYS_PER_BURST; key++) {
      const claimed: number[] = []
      const from = count === 0 ? 0 : hash32(this.seed ^ SALT_JAM, this.index, n, key + 2) % count
      for (let i = 0; i < count && claimed.length < MAX_CLAIM_TASKS; i++) {
        const task = tasks[(from + i) % count]!
        if (!world.seesSettled(this.index, task, now)) claimed.push(task)
      }
      if (claimed.length === 0) break
      world.sendClaim(this.index, claimed, now + MAX_LEASE_MS, world.freshIdentity())
      world.traffic.junk++
    }
    this.next()
  }
}
