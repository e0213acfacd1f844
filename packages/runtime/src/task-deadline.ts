/**
 * A task's deadline, measured on a clock that may leave out time in which the task could not
 * run. The sandbox process's clock leaves out the time its governor kept it stopped (SIGSTOP),
 * so a paused task is not timed out for the pause. A stopped process's timers fire late, all at
 * once, when it is continued: an expired timer therefore only looks again once the process has
 * read its pending messages (setImmediate runs after the poll phase), among them the length of
 * the pause it has just come out of.
 */
export class TaskDeadline {
  private readonly timeoutMs: number
  private readonly clock: () => number
  private readonly onExpire: () => void
  private startedAt: number | undefined
  private timer: NodeJS.Timeout | undefined
  private check: NodeJS.Immediate | undefined

  constructor(timeoutMs: number, clock: () => number, onExpire: () => void) {
    this.timeoutMs = timeoutMs
    this.clock = clock
    this.onExpire = onExpire
  }

  /** Starts the clock; a second call does nothing. */
  start(): void {
    if (this.startedAt !== undefined) return
    this.startedAt = this.clock()
    this.arm(this.timeoutMs)
  }

  /** Stops the deadline for good. */
  cancel(): void {
    clearTimeout(this.timer)
    clearImmediate(this.check)
    this.timer = undefined
    this.check = undefined
    this.startedAt = Infinity
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      this.check = setImmediate(() => {
        const left = this.timeoutMs - (this.clock() - this.startedAt!)
        if (left > 0) this.arm(left)
        else this.onExpire()
      })
    }, ms)
  }
}
