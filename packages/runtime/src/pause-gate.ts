import { TaskAbortedError } from './errors.ts'

/**
 * Holds new tasks back while a pool is paused: how the in-process pool pauses, since it cannot
 * stop its own threads in the middle of workload code. Tasks already running go on.
 */
export class PauseGate {
  private closed: { opened: Promise<void>; open(): void } | undefined

  get isClosed(): boolean {
    return this.closed !== undefined
  }

  close(): void {
    if (this.closed !== undefined) return
    let open!: () => void
    const opened = new Promise<void>((resolve) => (open = resolve))
    this.closed = { opened, open }
  }

  open(): void {
    const closed = this.closed
    this.closed = undefined
    closed?.open()
  }

  /**
   * Resolves at once while the gate is open, else once it opens.
   *
   * @throws TaskAbortedError when `signal` aborts first
   */
  async pass(signal?: AbortSignal): Promise<void> {
    while (this.closed !== undefined) {
      const { opened } = this.closed
      if (signal === undefined) {
        await opened
        continue
      }
      if (signal.aborted) throw new TaskAbortedError()
      let onAbort: (() => void) | undefined
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new TaskAbortedError())
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        await Promise.race([opened, aborted])
      } finally {
        signal.removeEventListener('abort', onAbort!)
      }
    }
  }
}
