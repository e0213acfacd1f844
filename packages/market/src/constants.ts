/** Defaults of the market. Bounds that every peer must share live in `@p2pc/protocol`, not here. */

/**
 * Tasks a contributor holds at once (claimed and not yet answered), across all jobs.
 * A few, so that a peer keeps its threads busy without hoarding work that others could do.
 */
export const DEFAULT_MAX_ACTIVE_CLAIMS = 4

/** Invalid results a signer needs before it can be blocked, so that one unlucky disagreement never blocks anyone. */
export const BLOCK_MIN_INVALID = 2

/** Up to this many results, one-per-signer filtering scans an array instead of building a map. */
export const SMALL_RESULT_SET = 16
