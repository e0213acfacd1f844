/**
 * The controller of `maxCpu`: which fraction of each period the pool may run.
 *
 * The pool's demand is what it uses of its threads' capacity while it may run (its measured
 * share divided by the fraction it ran). Running `target / demand` of each period then keeps its
 * share at the target, whether its threads are all busy (demand 1, so it runs `target` of the
 * time) or only some are (it may run longer). The demand is smoothed over a few periods because
 * CPU time is counted in 10 ms ticks, coarse next to a period of 200 ms. This is cpulimit's
 * rule; without a measurement the fraction stays at the target, an open-loop duty cycle.
 */
export class DutyCycle {
  private readonly target: number
  private demand: number | undefined
  private runFraction: number

  /** @param target the share of the threads' capacity the pool may use, in (0, 1] */
  constructor(target: number) {
    this.target = target
    this.runFraction = target
  }

  /** The fraction of the next period the pool may run. */
  get fraction(): number {
    return this.runFraction
  }

  /**
   * Takes the share of its capacity the pool used over the last period, in which it could run
   * `this.fraction` of the time.
   */
  observe(share: number): void {
    const demand = Math.max(0, share) / this.runFraction
    this.demand = this.demand === undefined ? demand : SMOOTHING * demand + (1 - SMOOTHING) * this.demand
    this.runFraction = this.demand <= 0 ? 1 : Math.min(1, Math.max(MIN_FRACTION, this.target / this.demand))
  }
}

/** Weight of the newest period in the smoothed demand. */
const SMOOTHING = 0.3

/** The pool always runs a little of each period, so that its demand can still be measured. */
const MIN_FRACTION = 0.02
