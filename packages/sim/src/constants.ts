/** Defaults of the simulator: a run of `runSimulation({})` or of `npm run sim` without flags. */

/** Contributors. */
export const DEFAULT_PEERS = 200

/** Tasks in the job. */
export const DEFAULT_TASKS = 5000

/** The job's quorum. */
export const DEFAULT_QUORUM = 2

/**
 * Results without quorum after which a task fails: generous, as in BOINC, where
 * max_total_results (10 at quorum 2) stays well above the replicas a task normally needs.
 */
export const DEFAULT_MAX_ERRORS = 8

/** Mean cost of a task at speed 1, in sim ms (log-normal, σ = {@link COST_SIGMA}). */
export const DEFAULT_COST_MS = 5000

/** Shape of the log-normal task cost. */
export const COST_SIGMA = 0.5

/** Peer speeds are spread log-uniformly over [SPEED_MIN, SPEED_MAX]. */
export const SPEED_MIN = 0.5
export const SPEED_MAX = 2

/** Mean one-way gossip latency, in sim ms. */
export const DEFAULT_LATENCY_MS = 100

/** Gossipsub's heartbeat, which repairs gossip a peer missed (IHAVE/IWANT), in sim ms (the peer's default). */
export const DEFAULT_HEARTBEAT_MS = 1000

/** Period of anti-entropy sync, in sim ms (the peer's default). */
export const DEFAULT_SYNC_MS = 15_000

/** How often a contributor's market ticks (expires leases, claims work), in sim ms (the peer's default). */
export const DEFAULT_TICK_MS = 250

/** The job's lease, in sim ms. */
export const DEFAULT_LEASE_MS = 60_000

/** Tasks a contributor holds at once, each on its own thread (the market's default `maxActiveClaims`). */
export const DEFAULT_SLOTS = 4

/** Readers besides the publisher. */
export const DEFAULT_OBSERVERS = 2

/** Fraction of the tasks an adaptive job's publisher checks itself (BOINC's adaptive replication checks about as many). */
export const DEFAULT_SPOT_CHECKS = 0.1

/** Results a `sybil` gives honestly before it lies, if the publisher's checks have not made it credible first. */
export const SYBIL_HONEST_RESULTS = 50

/** Fraction of its tasks an `on-off` cheater lies on. */
export const ON_OFF_LIES = 0.2

/** Longest run, in sim ms, before it stops with tasks still pending (one week). */
export const DEFAULT_MAX_TIME_MS = 7 * 24 * 60 * 60 * 1000

/** How often the readers' markets are ticked, in sim ms. */
export const READER_TICK_MS = 1000

/** Most tasks in one TaskBatch (the protocol's bound for inline inputs). */
export const BATCH_SIZE = 10_000
