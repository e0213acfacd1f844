/** Random points in the unit square, over all tasks. */
export const DEFAULT_SAMPLES = 10_000_000

export const DEFAULT_TASKS = 16

export const DEFAULT_SEED = 'p2pc'

/**
 * How far two estimates of one task may differ and still count as equal. An estimate is a
 * multiple of 4 / samples, so any different count of hits moves it by far more than this
 * (for the up to 10¹² samples the schema allows), while rounding noise stays far below it.
 */
export const TOLERANCE = 1e-12

/** Samples between abort checks. */
export const CHECK_EVERY = 1 << 16

/** Samples between progress reports: a fifth of a second of work or so. */
export const PROGRESS_EVERY = 1 << 23
