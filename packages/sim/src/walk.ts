import { rendezvousRank } from '@p2pc/market'

/** Task indexes the walk can encode: a rank (32 bits) and a task (21 bits) share one float64 key exactly. */
export const MAX_WALK_TASKS = 2 ** 21

const RANKS = 2 ** 32
/** Tasks expected in the first window of the walk. */
const FIRST_WINDOW = 128
/** How much each window is wider than the one before it. */
const GROWTH = 4

/**
 * One contributor's walk through a job's tasks in the market's rendezvous order
 * (`rendezvousRank(rendezvousSeed(peer, job), task)`, smallest first), built lazily.
 *
 * A thousand full heaps of 100,000 tasks would not fit, and a peer that finishes
 * its share only walks through a few percent of the order. So the rank space is cut
 * into windows that grow geometrically: a window's tasks are found with one pass
 * over the open tasks and sorted when the walk reaches it: tasks that every peer
 * already sees settled are left out, as the walk would skip them anyway. Tasks put back
 * (un-parked, as the market does) wait in a small heap and come out in rank order too.
 */
export class RendezvousWalk {
  private readonly seed: number
  private readonly open: OpenTasks
  private window = new Float64Array(0)
  private at = 0
  /** Ranks below this bound have been drawn into windows. */
  private bound = 0
  private width: number
  private readonly back: number[] = []

  constructor(seed: number, open: OpenTasks) {
    this.seed = seed
    this.open = open
    this.width = Math.max(1, Math.floor((RANKS * FIRST_WINDOW) / Math.max(open.count, 1)))
  }

  /**
   * The next task in rank order, or undefined when every task has been walked and none put back.
   * Tasks that every peer sees settled at `now` are left out when a window is drawn.
   */
  pop(now: number): number | undefined {
    if (this.at === this.window.length) this.refill(now)
    const ahead = this.at < this.window.length ? this.window[this.at]! : Infinity
    const back = this.back.length > 0 ? this.key(this.back[0]!) : Infinity
    if (ahead === Infinity && back === Infinity) return undefined
    if (back < ahead) return this.popBack()
    this.at++
    return ahead % MAX_WALK_TASKS
  }

  /** Puts a task back into the walk: it comes out again in its rank order. */
  push(task: number): void {
    const heap = this.back
    heap.push(task)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.key(heap[parent]!) <= this.key(heap[i]!)) break
      ;[heap[parent], heap[i]] = [heap[i]!, heap[parent]!]
      i = parent
    }
  }

  private key(task: number): number {
    return rendezvousRank(this.seed, task) * MAX_WALK_TASKS + task
  }

  private popBack(): number {
    const heap = this.back
    const top = heap[0]!
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= heap.length) break
        const right = left + 1
        const child = right < heap.length && this.key(heap[right]!) < this.key(heap[left]!) ? right : left
        if (this.key(heap[child]!) >= this.key(heap[i]!)) break
        ;[heap[child], heap[i]] = [heap[i]!, heap[child]!]
        i = child
      }
    }
    return top
  }

  /** Draws the next non-empty window of ranks, if any is left. */
  private refill(now: number): void {
    const seed = this.seed
    const { tasks, count, deadAt } = this.open
    while (this.bound < RANKS) {
      const low = this.bound
      const high = Math.min(RANKS, low + this.width)
      this.bound = high
      this.width *= GROWTH
      const keys: number[] = []
      for (let i = 0; i < count; i++) {
        const task = tasks[i]!
        const rank = rendezvousRank(seed, task)
        if (rank >= low && rank < high && deadAt[task]! > now) keys.push(rank * MAX_WALK_TASKS + task)
      }
      if (keys.length === 0) continue
      this.window = Float64Array.from(keys).sort()
      this.at = 0
      return
    }
    this.window = new Float64Array(0)
    this.at = 0
  }
}

/**
 * The tasks of a job that some peer may still see unsettled. `deadAt[task]` is a time
 * from which EVERY peer sees the task settled (Infinity until the task settles):
 * settling is monotone, so a walk may drop such a task without looking at it.
 * `tasks[0 … count − 1]` lists, in increasing order, the tasks not known dead at
 * the last `compact`.
 */
export class OpenTasks {
  tasks: Int32Array
  count: number
  readonly deadAt: Float64Array

  constructor(taskCount: number) {
    if (taskCount > MAX_WALK_TASKS) throw new RangeError(`a walk takes at most ${MAX_WALK_TASKS} tasks`)
    this.tasks = Int32Array.from({ length: taskCount }, (_, i) => i)
    this.count = taskCount
    this.deadAt = new Float64Array(taskCount).fill(Infinity)
  }

  /** Makes a task open again (its settling results no longer settle it), back in the list if it was dropped. */
  revive(task: number): void {
    const dropped = this.deadAt[task]! < Infinity
    this.deadAt[task] = Infinity
    if (!dropped) return
    for (let i = 0; i < this.count; i++) if (this.tasks[i] === task) return
    this.tasks[this.count++] = task
  }

  /** Drops the tasks dead at `now` from the list. */
  compact(now: number): void {
    const { tasks, deadAt } = this
    let kept = 0
    for (let i = 0; i < this.count; i++) {
      const task = tasks[i]!
      if (deadAt[task]! > now) tasks[kept++] = task
    }
    this.count = kept
  }
}
