/**
 * The governor: pauses and resumes a pool so that it stays out of the way of the machine's
 * owner. Three reasons can hold the pool back, each with its own loop:
 *
 * - `max-cpu`: a duty cycle, paused for part of every period, with the part set by the
 *   pool's measured CPU time (see duty-cycle.ts);
 * - `idle-only`: the other processes' load, sampled from the machine's CPU time minus the pool's
 *   own, with hysteresis (see idle-detector.ts);
 * - `on-battery`: the power supply (see power-supply.ts).
 *
 * The machine's owner can also hold the pool back by hand (`volunteer`, `p2pc pause`): the same
 * pause, with no loop of its own. The pool runs when no reason holds it. How it pauses is its own business: the sandboxed pool
 * stops its process (SIGSTOP, SIGCONT), the in-process pool withholds new tasks.
 */
import { systemCpuTime, type SystemCpuTime } from './cpu-time.ts'
import { DutyCycle } from './duty-cycle.ts'
import type { GovernorSettings } from './governor-settings.ts'
import { IdleDetector } from './idle-detector.ts'
import { onBatteryPower } from './power-supply.ts'

/** Why a governed pool is paused. */
export type PauseReason = 'max-cpu' | 'idle-only' | 'on-battery' | 'volunteer'

/** What the governor needs of a pool. */
export interface GovernedPool {
  /** CPU time in ms the pool's workers have used so far, or undefined where it cannot be measured. */
  cpuTimeMs(): Promise<number | undefined>
  pause(): void
  resume(): void
}

export interface GovernorParts {
  pool: GovernedPool
  /** The loops to run; without settings, only the volunteer's hand pauses the pool. */
  settings: GovernorSettings | undefined
  /** The pool's threads: its capacity is this many CPUs. */
  threads: number
  /** Called when the pool is paused for a reason other than the duty cycle, or no longer is. */
  onPausedChange?(reason: Exclude<PauseReason, 'max-cpu'> | undefined): void
}

export class Governor {
  private readonly init: GovernorParts
  private readonly held = new Set<PauseReason>()
  private readonly timers = new Set<NodeJS.Timeout>()
  /** Counts starts, so that a loop of an earlier start that wakes up late ends itself. */
  private generation = 0
  private running = false
  private paused = false
  private reported: PauseReason | undefined
  /** Set whenever a reason other than the duty cycle holds the pool: that period is not measured. */
  private heldByOthers = false

  constructor(init: GovernorParts) {
    this.init = init
  }

  /** Why the pool is paused now, leaving out the duty cycle's short pauses. */
  get pausedFor(): Exclude<PauseReason, 'max-cpu'> | undefined {
    if (this.held.has('volunteer')) return 'volunteer'
    if (this.held.has('on-battery')) return 'on-battery'
    if (this.held.has('idle-only')) return 'idle-only'
    return undefined
  }

  start(): void {
    if (this.running) return
    this.running = true
    const generation = ++this.generation
    const live = (): boolean => this.running && this.generation === generation
    const { settings } = this.init
    if (settings === undefined) return
    if (settings.maxCpu < 1) void this.dutyCycle(new DutyCycle(settings.maxCpu), live)
    if (settings.idleOnly !== undefined) void this.watchLoad(settings.idleOnly, live)
    if (settings.pauseOnBattery) void this.watchPower(live)
  }

  /** Holds the pool back at the owner's word (`on`), or lets go of that hold; the loops go on meanwhile. */
  holdByHand(on: boolean): void {
    this.hold('volunteer', on)
  }

  /** Ends the loops and lets the pool run. Safe to call twice. */
  stop(): void {
    this.running = false
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.held.clear()
    this.apply()
  }

  private async dutyCycle(duty: DutyCycle, live: () => boolean): Promise<void> {
    const { pool, threads } = this.init
    const settings = this.init.settings!
    let last: { at: number; cpuMs: number | undefined; valid: boolean } | undefined
    while (live()) {
      const cpuMs = await pool.cpuTimeMs()
      if (!live()) return
      const at = performance.now()
      // A period in which something else paused the pool says nothing about its demand.
      if (last?.valid === true && cpuMs !== undefined && last.cpuMs !== undefined && at > last.at) {
        duty.observe((cpuMs - last.cpuMs) / (threads * (at - last.at)))
      }
      last = { at, cpuMs, valid: this.pausedFor === undefined }
      this.heldByOthers = false
      this.hold('max-cpu', false)
      const runMs = duty.fraction * settings.periodMs
      if (runMs < settings.periodMs) {
        this.after(runMs, () => this.hold('max-cpu', true))
      }
      await this.sleep(settings.periodMs)
      if (this.heldByOthers) last.valid = false
    }
  }

  private async watchLoad(
    idle: NonNullable<GovernorSettings['idleOnly']>,
    live: () => boolean,
  ): Promise<void> {
    const { pool } = this.init
    const detector = new IdleDetector({
      pauseAbove: idle.load,
      resumeBelow: idle.resumeLoad,
      pauseAfter: idle.pauseAfter,
      resumeAfter: idle.resumeAfter,
    })
    let last: { system: SystemCpuTime; poolMs: number } | undefined
    while (live()) {
      const system = await systemCpuTime()
      // Where the pool's time cannot be read it counts as the others': it may pause itself, never overrun.
      const poolMs = (await pool.cpuTimeMs()) ?? 0
      if (last !== undefined && system.totalMs > last.system.totalMs) {
        const othersMs = system.busyMs - last.system.busyMs - Math.max(0, poolMs - last.poolMs)
        const load = Math.min(1, Math.max(0, othersMs / (system.totalMs - last.system.totalMs)))
        if (!live()) return
        this.hold('idle-only', detector.observe(load))
      }
      last = { system, poolMs }
      await this.sleep(idle.sampleMs)
    }
  }

  private async watchPower(live: () => boolean): Promise<void> {
    const settings = this.init.settings!
    while (live()) {
      const onBattery = await onBatteryPower(settings.powerSupplyDir)
      if (!live()) return
      this.hold('on-battery', onBattery)
      await this.sleep(settings.powerCheckMs)
    }
  }

  private hold(reason: PauseReason, on: boolean): void {
    if (on) this.held.add(reason)
    else this.held.delete(reason)
    if (on && reason !== 'max-cpu') this.heldByOthers = true
    this.apply()
  }

  private apply(): void {
    const pause = this.held.size > 0
    if (pause !== this.paused) {
      this.paused = pause
      if (pause) this.init.pool.pause()
      else this.init.pool.resume()
    }
    const reason = this.pausedFor
    if (reason !== this.reported) {
      this.reported = reason
      this.init.onPausedChange?.(reason)
    }
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (this.running) run()
    }, ms)
    this.timers.add(timer)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }
}
