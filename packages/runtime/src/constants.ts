import { availableParallelism } from 'node:os'

/** Threads of a pool: every core but one, so the machine stays usable, and at least one. */
export const DEFAULT_THREADS = Math.max(1, availableParallelism() - 1)

/** Heap limit of one worker thread, in MiB. */
export const DEFAULT_TASK_MEMORY_MB = 512

/**
 * How long a timed-out task has to honour `ctx.signal` before its worker is terminated.
 * Terminating loses the thread's bundle cache, so a cooperative stop is worth a short wait.
 */
export const DEFAULT_ABORT_GRACE_MS = 1000

/** Extension of bundled workload modules in the bundle cache. */
export const BUNDLE_EXTENSION = '.mjs'

/** Tasks that `runLocal` keeps submitted per thread: enough that no worker waits for the next. */
export const IN_FLIGHT_PER_THREAD = 2

/**
 * Shortest time between two saved checkpoints of one task. A checkpoint that comes sooner waits
 * as the task's newest state, so a workload that checkpoints in a tight loop does not hammer the
 * store, and an aborted task still leaves its newest state behind.
 */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5000

/** Length of one duty cycle of the governor's `maxCpu`: short enough that a paused pool is not noticed, long next to the 10 ms ticks CPU time is counted in. */
export const DEFAULT_DUTY_PERIOD_MS = 200

/** Load of other processes, a fraction of the machine's CPUs, above which an `idleOnly` pool pauses. */
export const DEFAULT_IDLE_LOAD = 0.25

/** Time between two samples of the machine's load for `idleOnly`. */
export const DEFAULT_IDLE_SAMPLE_MS = 1000

/** Samples in a row above the idle load that pause an `idleOnly` pool: a burst of a few seconds does not. */
export const DEFAULT_IDLE_PAUSE_AFTER = 3

/** Samples in a row below half the idle load that resume a paused `idleOnly` pool. */
export const DEFAULT_IDLE_RESUME_AFTER = 5

/** How often the governor looks at the power supply. */
export const DEFAULT_POWER_CHECK_MS = 5000

/**
 * The nice value of each task priority under a governor. `lowest` is the lowest priority Unix
 * gives (BOINC's default, Folding@home's `idle`); `normal` leaves the contributor's own.
 */
export const PRIORITY_NICE = { lowest: 19, low: 10, normal: 0 } as const

/**
 * How long a sandbox's channel may stand still with work on it (a frame half read, frames not yet
 * acknowledged) before the sandbox is ended. Generous: a sandbox at nice 19 on a busy machine
 * gets little CPU, and only workload code tampering with the channel stalls it for good.
 */
export const SANDBOX_STALL_MS = 120_000

/** How often a sandbox's channel is checked for a stall. */
export const SANDBOX_STALL_CHECK_MS = 5_000
