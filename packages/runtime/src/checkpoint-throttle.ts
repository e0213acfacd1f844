/**
 * Saves one task's checkpoints at most once per interval.
 *
 * The first checkpoint is saved at once. One that comes sooner than the interval after the last
 * save waits as the pending state, replaced by any newer one, and is saved when the interval has
 * passed. When the task ends, a pending state is saved if the task failed or was aborted (the
 * state a rerun resumes from) and dropped if it succeeded (nothing will resume it).
 */
export class CheckpointThrottle {
  private readonly save: (state: unknown) => void | Promise<void>
  private readonly intervalMs: number
  private lastSave = -Infinity
  private pending: { state: unknown } | undefined
  private timer: NodeJS.Timeout | undefined
  /** The chain of saves, so that they reach the store one at a time and in order. */
  private saving: Promise<void> = Promise.resolve()
  /** A deferred save that failed: the task hears of it on its next checkpoint. */
  private failure: { error: unknown } | undefined
  private closed = false

  constructor(save: (state: unknown) => void | Promise<void>, intervalMs: number) {
    this.save = save
    this.intervalMs = intervalMs
  }

  /** Resolves once the state is saved, or at once when it is left pending. */
  async checkpoint(state: unknown): Promise<void> {
    if (this.closed) return
    const failure = this.failure
    this.failure = undefined
    if (failure !== undefined) throw failure.error
    const wait = this.lastSave + this.intervalMs - performance.now()
    if (wait <= 0) {
      this.dropPending()
      return this.write(state)
    }
    this.pending = { state }
    this.timer ??= setTimeout(() => this.savePending(), wait)
  }

  /** The newest state not saved yet, which `restore` must prefer to the store's. */
  pendingState(): { state: unknown } | undefined {
    return this.pending
  }

  /**
   * Ends the task's checkpoints and waits for every save under way. Never throws: the task's
   * own outcome is what its caller hears about.
   */
  async close(savePending: boolean): Promise<void> {
    if (this.closed) return
    this.closed = true
    const pending = this.pending
    this.dropPending()
    if (savePending && pending !== undefined) this.write(pending.state).catch(ignore)
    await this.saving
  }

  private savePending(): void {
    this.timer = undefined
    const pending = this.pending
    this.pending = undefined
    if (pending === undefined) return
    this.write(pending.state).catch((error: unknown) => {
      this.failure = { error }
    })
  }

  private dropPending(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.pending = undefined
  }

  private write(state: unknown): Promise<void> {
    this.lastSave = performance.now()
    const saved = this.saving.then(() => this.save(state))
    this.saving = saved.catch(ignore)
    return saved
  }
}

function ignore(): void {}
