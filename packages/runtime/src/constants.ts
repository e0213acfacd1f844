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
