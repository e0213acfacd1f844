/** The 20-residue benchmark of Unger & Moult (1993); its optimal energy on the square lattice is −9. */
export const DEFAULT_SEQUENCE = 'HPHPPHHPHPPHPHHPPHPH'

/** Independent searches, each from its own seed. */
export const DEFAULT_TASKS = 16

/** Monte Carlo steps per task (each tries one move at every temperature): under a second on one core. */
export const DEFAULT_STEPS = 500_000

export const DEFAULT_SEED = 'p2pc'

/**
 * The replica-exchange temperature ladder, coldest first, in units of one H–H contact.
 * Written out rather than computed so that no Math function can make two machines disagree.
 */
export const TEMPERATURES: readonly number[] = [0.25, 0.32, 0.41, 0.52, 0.66, 0.84, 1.07, 1.36]

/** Steps between attempts to swap conformations of neighbouring temperatures. */
export const EXCHANGE_EVERY = 10

/** Steps between progress reports: a fifth of a second of work or so. */
export const PROGRESS_EVERY = 128 * 1024

/** Steps between checkpoints, about half a second of work; a multiple of 1024, where aborts are checked. */
export const CHECKPOINT_EVERY = 3 * PROGRESS_EVERY
