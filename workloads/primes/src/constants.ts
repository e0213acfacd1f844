/** Count the primes below this. */
export const DEFAULT_UP_TO = 10_000_000

/** Numbers per task. */
export const DEFAULT_CHUNK = 1_000_000

/** The largest `upTo`: √10¹² = 10⁶ keeps every task's base primes small. */
export const MAX_UP_TO = 1_000_000_000_000

/** The smallest chunk: below this, a task costs less than its messages. */
export const MIN_CHUNK = 1000

/** Odd numbers per sieve segment: 128 KiB of flags, which stays in a core's L2 cache. */
export const SEGMENT_ODDS = 128 * 1024

/** Segments between progress reports: a quarter of a second of work or so. */
export const PROGRESS_EVERY = 1024
