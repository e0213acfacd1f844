import { rendezvousRank } from './hash.ts'
import { MinHeap } from './heap.ts'

/**
 * One peer's walk through one job: the tasks it may still claim, smallest
 * rendezvous rank first, and the tasks it passed over for now because enough
 * peers were on them ("parked"). A parked task goes back into the walk when
 * something may have freed it (a lease ran out, a claimer was blocked, a
 * disagreement raised its target), so a call never rescans the whole job.
 */
export class ClaimQueue {
  private readonly seed: number
  private readonly heap = new MinHeap<number>()
  private readonly parked = new Set<number>()

  constructor(seed: number) {
    this.seed = seed
  }

  /** Tasks waiting in the walk, parked ones excluded. */
  get size(): number {
    return this.heap.size
  }

  /** Adds the tasks `first … first + count − 1`, whose inputs just became known. */
  pushRange(first: number, count: number): void {
    for (let task = first; task < first + count; task++) this.push(task)
  }

  push(task: number): void {
    this.heap.push(rendezvousRank(this.seed, task), task, task)
  }

  /** The next task in rank order, or undefined when the walk is over. */
  pop(): number | undefined {
    return this.heap.pop()
  }

  park(task: number): void {
    this.parked.add(task)
  }

  isParked(task: number): boolean {
    return this.parked.has(task)
  }

  /** Puts a parked task back into the walk; false when it was not parked. */
  unpark(task: number): boolean {
    if (!this.parked.delete(task)) return false
    this.push(task)
    return true
  }

  /** Forgets a parked task for good (it is settled). */
  forget(task: number): void {
    this.parked.delete(task)
  }

  /** A copy of the parked tasks, safe to iterate while unparking. */
  parkedTasks(): number[] {
    return [...this.parked]
  }
}
