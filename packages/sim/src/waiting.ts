import type { EventQueue } from './event-queue.ts'

/** Whether a contributor still waits on a task (parked, or a copycat waiting for something to copy). */
export type IsWaiting = (peer: number, task: number) => boolean

/**
 * Who waits on each task, so that they look at it again when something changes: a
 * result they will see, a claimer blocked, the earliest lease on it running out.
 *
 * Entries are dropped lazily: a contributor that stops waiting is left in the list
 * until the next pass over it, which keeps parking and forgetting O(1). Lease ends
 * are one event per task, at the earliest lease end any waiter asked for; a waiter
 * whose own lease end is later just parks again.
 */
export class WaitList {
  private readonly lists: Array<number[] | undefined>
  private readonly wakeAt: Float64Array
  private readonly queue: EventQueue
  private readonly wakeKind: number
  private readonly isWaiting: IsWaiting

  constructor(taskCount: number, queue: EventQueue, wakeKind: number, isWaiting: IsWaiting) {
    this.lists = new Array<number[] | undefined>(taskCount).fill(undefined)
    this.wakeAt = new Float64Array(taskCount).fill(Infinity)
    this.queue = queue
    this.wakeKind = wakeKind
    this.isWaiting = isWaiting
  }

  /**
   * Adds a waiter. Call it when the peer starts waiting: a peer that waited before and
   * may still be listed is listed twice, which costs it one more look, never a wrong one.
   */
  add(task: number, peer: number): void {
    const list = this.lists[task]
    if (list === undefined) this.lists[task] = [peer]
    else list.push(peer)
  }

  /** Makes sure that the waiters of a task look at it again no later than `time` (ignored when infinite). */
  wakeBy(task: number, time: number): void {
    if (time === Infinity) return
    const scheduled = this.wakeAt[task]!
    if (scheduled <= time && scheduled >= this.queue.now) return
    this.wakeAt[task] = time
    this.queue.schedule(time, this.wakeKind, task)
  }

  /** Whether a wake event of a task at the current time is the one last scheduled (else it is stale). */
  takeWake(task: number): boolean {
    if (this.wakeAt[task] !== this.queue.now) return false
    this.wakeAt[task] = Infinity
    return true
  }

  /** Calls `visit` for each contributor still waiting on the task, dropping the others from the list. */
  forEach(task: number, visit: (peer: number) => void): void {
    const list = this.lists[task]
    if (list === undefined) return
    let kept = 0
    for (let i = 0; i < list.length; i++) {
      const peer = list[i]!
      if (this.isWaiting(peer, task)) list[kept++] = peer
    }
    list.length = kept
    if (kept === 0) this.lists[task] = undefined
    // Visit a copy: visitors may park again, adding to the list.
    for (const peer of kept === 0 ? [] : list.slice()) visit(peer)
  }
}
