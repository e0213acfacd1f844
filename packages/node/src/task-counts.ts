import type { Store } from '@p2pc/store'

/** The store counters of the tasks this peer finished and those that failed. */
const COUNTERS = { done: 'tasks.done', failed: 'tasks.failed' } as const

export interface TaskCountsInit {
  store: Pick<Store, 'counters' | 'addToCounters'>
  /** How often the counts since the last write are added to the store. */
  flushMs: number
  /** Runs a write that may fail on a full disk; the counts then wait for the next flush. @default runs it */
  attempt?(write: () => void): void
}

/**
 * The tasks this peer has finished (result published) and those that failed, over its whole
 * life: kept in the store's counters, which are added to about once a second rather than once a
 * task, and at `stop()`. What a write could not keep (a full disk) is added by the next one.
 */
export class TaskCounts {
  private readonly init: TaskCountsInit
  private stored = { done: 0, failed: 0 }
  private pending = { done: 0, failed: 0 }
  private timer: NodeJS.Timeout | undefined

  constructor(init: TaskCountsInit) {
    this.init = init
  }

  /** Reads the counts the store holds; the store must be started. Safe to call twice. */
  start(): void {
    if (this.timer !== undefined) return
    const counters = this.init.store.counters()
    this.stored = { done: counters[COUNTERS.done] ?? 0, failed: counters[COUNTERS.failed] ?? 0 }
    this.timer = setInterval(() => this.flush(), this.init.flushMs)
    this.timer.unref()
  }

  /** Writes what is pending, before the store closes. Safe to call twice. */
  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.flush()
  }

  get done(): number {
    return this.stored.done + this.pending.done
  }

  get failed(): number {
    return this.stored.failed + this.pending.failed
  }

  /** Counts a task that ended: done or failed; a start counts for nothing. */
  count(state: 'started' | 'done' | 'failed'): void {
    if (state !== 'started') this.pending[state]++
  }

  /** Adds the counts since the last write to the store, in one transaction. */
  flush(): void {
    const { done, failed } = this.pending
    if (done === 0 && failed === 0) return
    const write = (): void => {
      this.init.store.addToCounters({ [COUNTERS.done]: done, [COUNTERS.failed]: failed })
      this.stored = { done: this.stored.done + done, failed: this.stored.failed + failed }
      this.pending = { done: this.pending.done - done, failed: this.pending.failed - failed }
    }
    try {
      if (this.init.attempt === undefined) write()
      else this.init.attempt(write)
    } catch {
      // The store is stopping, or the write failed: the counts stay pending for the next one.
    }
  }
}
