import { MAX_CLAIM_TASKS, MAX_LEASE_MS } from '@p2pc/protocol'
import type { Outputs } from './behaviours.ts'
import { hash32, hex64 } from './random.ts'
import type { World } from './world.ts'
import { EVENT } from './world.ts'

/** Time between two bursts of a flooder, in sim ms (jittered by up to half). */
export const FLOOD_INTERVAL_MS = 1000
/** Tasks in one flooder's claim. */
export const FLOOD_CLAIM_TASKS = 16

const SALT_FLOOD = 0x666c6f6f

/**
 * A peer that sends junk that passes signature checks, every second or so. Each burst:
 * a claim of 16 random tasks with a day-long lease (the market holds a task at most
 * `leaseMs` from a claimer's first claim, and not at all once it is blocked); a claim
 * of tasks out of range; a wrong result for a random task, sent twice (a duplicate)
 * plus an equivocating second result for the same task; a result for a job nobody
 * announced. The point: the market is not derailed and no task starves.
 */
export class Flooder {
  readonly index: number
  private readonly world: World
  private readonly outputs: Outputs
  private readonly seed: number
  private bursts = 0

  constructor(index: number, world: World, outputs: Outputs, seed: number) {
    this.index = index
    this.world = world
    this.outputs = outputs
    this.seed = seed
  }

  /** Schedules the next burst. */
  next(): void {
    const draw = hash32(this.seed ^ SALT_FLOOD, this.index, this.bursts, 1)
    this.world.scheduleBurst(this.index, EVENT.flood, FLOOD_INTERVAL_MS, draw)
  }

  /** Sends one burst of junk, then schedules the next. */
  burst(): void {
    const world = this.world
    const now = world.queue.now
    const n = this.bursts++
    const draw = (k: number): number => hash32(this.seed ^ SALT_FLOOD, this.index, n, k + 2)
    const taskCount = world.taskCount
    const claimed = new Set<number>()
    for (let k = 0; claimed.size < Math.min(FLOOD_CLAIM_TASKS, taskCount) && k < 4 * FLOOD_CLAIM_TASKS; k++) {
      claimed.add(draw(k) % taskCount)
    }
    world.sendClaim(this.index, [...claimed], now + MAX_LEASE_MS)
    const outOfRange = [taskCount + (draw(100) % MAX_CLAIM_TASKS), taskCount + MAX_CLAIM_TASKS + 1]
    world.sendClaim(this.index, outOfRange, now + MAX_LEASE_MS)
    const task = draw(101) % taskCount
    const junk = world.sendResult(this.index, task, this.outputs.junk(this.index, 2 * n, task), 1)
    world.resend(junk)
    world.sendResult(this.index, task, this.outputs.junk(this.index, 2 * n + 1, task), 1)
    const unknownJob = `sim-unknown-job-${hex64(draw(102), draw(103))}`
    world.sendResult(this.index, draw(104) % taskCount, 'junk', 1, unknownJob)
    // Two claims, three results and one duplicate.
    world.traffic.junk += 6
    this.next()
  }
}
