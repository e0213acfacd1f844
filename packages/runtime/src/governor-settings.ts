import {
  DEFAULT_DUTY_PERIOD_MS,
  DEFAULT_IDLE_LOAD,
  DEFAULT_IDLE_PAUSE_AFTER,
  DEFAULT_IDLE_RESUME_AFTER,
  DEFAULT_IDLE_SAMPLE_MS,
  DEFAULT_POWER_CHECK_MS,
  PRIORITY_NICE,
} from './constants.ts'
import { InvalidOptionError } from './errors.ts'
import { POWER_SUPPLY_DIR } from './power-supply.ts'

/** How politely a pool runs on a machine its owner also uses; every field is optional. */
export interface GovernorInit {
  /**
   * Most CPU the pool may use, in percent of its threads' capacity (1–100), enforced by pausing
   * it for part of every period. @default 100
   */
  maxCpu?: number
  /** Run only while the rest of the machine is idle. @default not set: run whatever else runs */
  idleOnly?: IdleOnlyInit
  /** Pause while the machine runs on battery, or run anyway. @default 'pause' */
  onBattery?: 'pause' | 'run'
  /**
   * Scheduling priority of the tasks: `lowest` (nice 19: any other program comes first), `low`
   * (nice 10) or `normal` (the contributor's own; only the other limits hold tasks back).
   * @default 'lowest'
   */
  priority?: Priority
  /** Folder of the power supplies, as Linux lays it out. @default '/sys/class/power_supply' */
  powerSupplyDir?: string
  /** How often the power supply is looked at, in ms. @default 5000 */
  powerCheckMs?: number
  /** Length of one duty cycle of `maxCpu`, in ms. @default 200 */
  periodMs?: number
}

/** How a governed pool's tasks are scheduled against the owner's programs. */
export type Priority = keyof typeof PRIORITY_NICE

/** When the rest of the machine counts as idle. */
export interface IdleOnlyInit {
  /** Load of the other processes, a fraction (0–1) of the machine's CPUs, above which the pool pauses. @default 0.25 */
  load?: number
  /** Load below which a paused pool resumes. @default half of `load` */
  resumeLoad?: number
  /** Time between two samples of the load, in ms. @default 1000 */
  sampleMs?: number
  /** Samples in a row above `load` that pause the pool. @default 3 */
  pauseAfter?: number
  /** Samples in a row below `resumeLoad` that resume it. @default 5 */
  resumeAfter?: number
}

/** A governor's settings with every default applied. */
export interface GovernorSettings {
  /** Share of the threads' capacity, in (0, 1]. */
  maxCpu: number
  idleOnly:
    | { load: number; resumeLoad: number; sampleMs: number; pauseAfter: number; resumeAfter: number }
    | undefined
  pauseOnBattery: boolean
  /** The nice value the tasks run at (0: the contributor's own). */
  nice: number
  powerSupplyDir: string
  powerCheckMs: number
  periodMs: number
}

/**
 * Applies the defaults to a governor's options and checks them.
 *
 * @throws InvalidOptionError naming the option
 */
export function governorSettings(init: GovernorInit): GovernorSettings {
  const maxCpu = init.maxCpu ?? 100
  if (!Number.isFinite(maxCpu) || maxCpu < 1 || maxCpu > 100) {
    throw new InvalidOptionError('options.governor.maxCpu must be a percentage from 1 to 100')
  }
  if (init.onBattery !== undefined && init.onBattery !== 'pause' && init.onBattery !== 'run') {
    throw new InvalidOptionError("options.governor.onBattery must be 'pause' or 'run'")
  }
  const priority = init.priority ?? 'lowest'
  if (!Object.hasOwn(PRIORITY_NICE, priority)) {
    throw new InvalidOptionError("options.governor.priority must be 'lowest', 'low' or 'normal'")
  }
  let idleOnly: GovernorSettings['idleOnly']
  if (init.idleOnly !== undefined) {
    const load = fraction('idleOnly.load', init.idleOnly.load ?? DEFAULT_IDLE_LOAD)
    idleOnly = {
      load,
      resumeLoad: fraction('idleOnly.resumeLoad', init.idleOnly.resumeLoad ?? load / 2),
      sampleMs: positive('idleOnly.sampleMs', init.idleOnly.sampleMs ?? DEFAULT_IDLE_SAMPLE_MS),
      pauseAfter: count('idleOnly.pauseAfter', init.idleOnly.pauseAfter ?? DEFAULT_IDLE_PAUSE_AFTER),
      resumeAfter: count('idleOnly.resumeAfter', init.idleOnly.resumeAfter ?? DEFAULT_IDLE_RESUME_AFTER),
    }
    if (idleOnly.resumeLoad > idleOnly.load) {
      throw new InvalidOptionError('options.governor.idleOnly.resumeLoad must not be above idleOnly.load')
    }
  }
  return {
    maxCpu: maxCpu / 100,
    idleOnly,
    pauseOnBattery: (init.onBattery ?? 'pause') === 'pause',
    nice: PRIORITY_NICE[priority],
    powerSupplyDir: init.powerSupplyDir ?? POWER_SUPPLY_DIR,
    powerCheckMs: positive('powerCheckMs', init.powerCheckMs ?? DEFAULT_POWER_CHECK_MS),
    periodMs: positive('periodMs', init.periodMs ?? DEFAULT_DUTY_PERIOD_MS),
  }
}

function fraction(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidOptionError(`options.governor.${name} must be a fraction from 0 to 1`)
  }
  return value
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(`options.governor.${name} must be a number of ms above 0`)
  }
  return value
}

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(`options.governor.${name} must be a positive integer`)
  }
  return value
}
