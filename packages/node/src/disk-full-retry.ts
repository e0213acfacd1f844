/** Options of {@link DiskFullRetry}. */
export interface DiskFullRetryInit {
  /** How often writes that found the disk full try again. */
  retryMs: number
  /** Called when a write finds the disk full (with its error), and when a write succeeds again (undefined). */
  onChange(error: Error | undefined): void
}

/**
 * Writes to the store that wait out a full disk rather than fail. A write that fails with
 * DiskFullError tries again every `retryMs` until it succeeds or `stop()`; meanwhile the peer
 * claims no new work (what it ran could not be kept), and the first write that succeeds again
 * lets it go on, with no restart. Other errors are the caller's, at once.
 *
 * A write given up would cost more than time: a result the market has heard of but the store
 * could not keep is never sent and never run again by this peer, and the job stays open.
 */
export class DiskFullRetry {
  private readonly init: DiskFullRetryInit
  private full: Error | undefined
  private next: PromiseWithResolvers<void> | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(init: DiskFullRetryInit) {
    this.init = init
  }

  /** The error of the write that found the disk full, while it is; else undefined. */
  get error(): Error | undefined {
    return this.full
  }

  start(): void {
    this.stopped = false
  }

  /** Writes waiting for space fail with their DiskFullError: what they held is not kept. */
  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.next?.reject(this.full ?? new Error('stopped'))
    this.next = undefined
    this.full = undefined
  }

  /** Runs `write` until it succeeds, waiting out a full disk; rejects with any other error. */
  async write<T>(write: () => T | Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await write()
        this.succeeded()
        return result
      } catch (err) {
        if (!isDiskFull(err) || this.stopped) throw err
        this.failed(err)
        await this.retry()
      }
    }
  }

  /**
   * Runs a write that may be skipped when the disk is full (a checkpoint: losing one costs only
   * work redone after a crash): it says whether the disk is full, like any write, but is not tried again.
   */
  attempt(write: () => void): void {
    try {
      write()
      this.succeeded()
    } catch (err) {
      if (!isDiskFull(err)) throw err
      this.failed(err)
    }
  }

  private succeeded(): void {
    if (this.full === undefined) return
    this.full = undefined
    this.init.onChange(undefined)
  }

  private failed(err: Error): void {
    const first = this.full === undefined
    this.full = err
    if (first) this.init.onChange(err)
  }

  /** Resolves at the next retry, one timer for all waiting writes, so that they go together. */
  private retry(): Promise<void> {
    if (this.next === undefined) {
      const next = Promise.withResolvers<void>()
      this.next = next
      this.timer = setTimeout(() => {
        this.next = undefined
        this.timer = undefined
        next.resolve()
      }, this.init.retryMs)
    }
    return this.next.promise
  }
}

function isDiskFull(err: unknown): err is Error {
  return err instanceof Error && err.name === 'DiskFullError'
}
