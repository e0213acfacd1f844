/**
 * The hysteresis of `idleOnly`: whether the rest of the machine is busy enough that the pool
 * should pause, from one sample of the other processes' load at a time. It pauses only after
 * several samples in a row above the threshold, and resumes only after several in a row well
 * below it, so that a short burst of work, or the pool's own start, does not make it flap.
 */
export interface IdleDetectorInit {
  /** Load of other processes, a fraction of the machine's CPUs, above which the pool pauses. */
  pauseAbove: number
  /** Load below which a paused pool resumes. */
  resumeBelow: number
  /** Samples in a row above `pauseAbove` that pause the pool. */
  pauseAfter: number
  /** Samples in a row below `resumeBelow` that resume it. */
  resumeAfter: number
}

export class IdleDetector {
  private readonly init: IdleDetectorInit
  private paused = false
  private streak = 0

  constructor(init: IdleDetectorInit) {
    this.init = init
  }

  /** Takes one sample of the other processes' load; returns whether the pool should be paused now. */
  observe(otherLoad: number): boolean {
    const { pauseAbove, resumeBelow, pauseAfter, resumeAfter } = this.init
    const pushing = this.paused ? otherLoad < resumeBelow : otherLoad > pauseAbove
    this.streak = pushing ? this.streak + 1 : 0
    if (this.streak >= (this.paused ? resumeAfter : pauseAfter)) {
      this.paused = !this.paused
      this.streak = 0
    }
    return this.paused
  }
}
