/** Gossipsub heartbeat: how often meshes are repaired and scores recomputed. @default 1000 */
export const DEFAULT_HEARTBEAT_MS = 1000

/** How often the Peer lets its market's time pass (lease expiry, new claims). */
export const DEFAULT_TICK_MS = 250

/** How often open work is announced again, for peers that missed it. */
export const DEFAULT_REANNOUNCE_MS = 60_000

/** How often each connected peer is asked for the envelopes this peer lacks. */
export const DEFAULT_SYNC_MS = 15_000

/** How often a peer with no connection dials its bootstrap and known peers again. */
export const DEFAULT_REDIAL_MS = 2_000

/** Outputs whose canonical encoding is larger than this travel by CID, not inline in the Result. */
export const INLINE_OUTPUT_BYTES = 16 * 1024

/** Task inputs per TaskBatch. @default 100 */
export const DEFAULT_BATCH_SIZE = 100

/** Default job rules: BOINC's min_quorum, max_total_results, max_error_results, delay_bound. */
export const DEFAULT_QUORUM = 2
export const DEFAULT_MAX_REPLICAS = 5
export const DEFAULT_MAX_ERRORS = 3

/**
 * Fraction of an adaptive job's tasks its publisher checks itself: each lone liar is caught after
 * about ten lies, and honest work costs about 1.1 replicas (docs/ARCHITECTURE.md, "Verification").
 */
export const DEFAULT_SPOT_CHECKS = 0.1
export const DEFAULT_LEASE_MS = 10 * 60_000

/**
 * Jobs of publishers a peer does not follow (not its own, not trusted, not asked about by a reader,
 * not worked on) that it keeps at most: announcing jobs from fresh keys is free. @default 100
 */
export const DEFAULT_STRANGER_JOBS = 100

/** How long a peer keeps a job of a publisher it does not follow, after it first heard of it. @default 7 days */
export const DEFAULT_STRANGER_JOB_AGE_MS = 7 * 24 * 3_600_000

/** Envelope bytes a peer keeps at most over the jobs of publishers it does not follow. @default 16 MiB */
export const DEFAULT_STRANGER_JOB_BYTES = 16 * 1024 * 1024

/**
 * Gossip messages one peer may pass on to this peer, by kind: a burst at once, then so many a
 * second. Within, a message is judged as usual; the next burst beyond is dropped (gossipsub's
 * `ignore`: an honest peer relaying a flood passes some of it on); past that, each message is
 * dropped too and costs its sender a behaviour penalty, until it loses its mesh place and is
 * graylisted.
 * Honest peers send far less (see test/bench/flood.ts, which measures them): a publisher a few
 * announces a minute and its batches once, a contributor a ResultBatch per 50 ms at most.
 *
 * @default announces 200 and 20/s, batches 5000 and 1000/s, claims 1000 and 200/s, results and seals 2000 and 500/s
 */
export const GOSSIP_RATE_LIMITS = {
  announce: { burst: 200, perSecond: 20 },
  batch: { burst: 5000, perSecond: 1000 },
  claim: { burst: 1000, perSecond: 200 },
  result: { burst: 2000, perSecond: 500 },
}

/** Largest frame on the fetch and sync streams. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024

/** Deadline of one fetch or sync exchange, and of a whole sync session served. */
export const STREAM_TIMEOUT_MS = 30_000

/**
 * How long a peer serving fetch or sync waits for one request frame to arrive in full: a peer that
 * opens a stream and sends nothing, or a byte a second, is cut off then.
 */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * Fetch streams served at once to one peer, and to all. A peer fetches at most
 * {@link FETCHES_IN_FLIGHT} blobs at once, from all its peers together.
 */
export const FETCH_STREAMS = { perPeer: 8, total: 64 }

/** Blob fetches one peer has under way at once; the others wait their turn. */
export const FETCHES_IN_FLIGHT = 4

/** Sync sessions served at once to one peer (it syncs with each peer one session at a time), and to all. */
export const SYNC_STREAMS = { perPeer: 2, total: 16 }

/** Requests in one sync session at most: one for the jobs, one per job. */
export const MAX_SYNC_REQUESTS = 1 + 10_000

/**
 * Envelope ids one sync request may say it has: about 60 bytes each, so that a request stays under
 * the frame limit. An asker that holds more of a job lists its newest, and is sent the rest again.
 */
export const MAX_SYNC_HAVE = 60_000

/** Job ids taken from one sync answer at most. */
export const MAX_SYNC_JOBS = 10_000

/** How often a task waiting for its workload bundle asks the swarm again. */
export const BUNDLE_RETRY_MS = 1000

/** How long a draining contributor lets its running tasks finish before it stops them at their checkpoints. */
export const DEFAULT_DRAIN_GRACE_MS = 10_000

/**
 * While paused, a claim is given back this long before its lease would run out (or before the
 * pause ends, when that is later), so that the swarm hears of it before the lease lapses.
 */
export const GIVE_BACK_MARGIN_MS = 5_000

/** How long a contributor's first answer waits for others to share its ResultBatch. */
export const RESULT_BATCH_MS = 50

/** How long a publisher's first seal waits for others to share its Seal. */
export const SEAL_BATCH_MS = 100

/**
 * Output bytes in one ResultBatch at most: with entries' hashes and the envelope around them, it
 * stays well under the envelope size limit.
 */
export const RESULT_BATCH_BYTES = 160 * 1024

/** How often writes that found the disk full try again. */
export const DISK_FULL_RETRY_MS = 1000

/** Reservations a relay holds at once. libp2p's default, 15, is one small LAN party. */
export const DEFAULT_RELAY_SLOTS = 128

/** Reservations a relay holds at once for one IP address: one home or NAT, however many keys. */
export const DEFAULT_RELAY_SLOTS_PER_ADDRESS = 8

/** Relayed connections open at once from, or to, one peer. */
export const DEFAULT_RELAY_CIRCUITS_PER_PEER = 16

/** Bytes a second one peer may send through a relay, on average. */
export const DEFAULT_RELAY_PEER_BYTES_PER_SECOND = 1024 * 1024

/** The span a relay's per-peer byte budget averages over: its bucket holds this many seconds at the rate. */
export const RELAY_BUDGET_SECONDS = 60

/** How long after letting a circuit through a relay looks for its destination's stream, to count its bytes. */
export const CIRCUIT_COUNT_DELAY_MS = 50

/** How often a relay counts and refills its per-peer budgets. */
export const RELAY_GATE_TICK_MS = 1000

/** How long a peer tries to replace a relayed connection by a direct WebRTC one. */
export const DIRECT_UPGRADE_TIMEOUT_MS = 20_000

/**
 * How long a peer waits after failing to meet another directly before it tries again; the wait
 * doubles with each failure, up to {@link DIRECT_RETRY_MS}.
 */
export const DIRECT_FIRST_RETRY_MS = 5_000

/** The longest wait between two attempts to meet a peer directly (a symmetric NAT never lets them). */
export const DIRECT_RETRY_MS = 5 * 60_000

/** The gossip topic on which peers publish signed records of where they can be dialled. */
export const PEERS_TOPIC = 'p2pc/peers/1'

/** A peer connected to fewer peers than this dials the ones it hears of on {@link PEERS_TOPIC}. */
export const PEER_EXCHANGE_TARGET = 8

/** How often a peer publishes its record again, besides whenever its addresses change. */
export const PEER_RECORD_MS = 30_000

/** Largest peer record accepted, and most addresses in one. */
export const MAX_PEER_RECORD_BYTES = 4096
export const MAX_PEER_RECORD_ADDRESSES = 16

/**
 * How long an address, and a peer not heard of since, stay in the address book: a month, so that a
 * contributor back from holidays still finds the swarm (libp2p's defaults are an hour and six hours).
 */
export const ADDRESS_BOOK_MAX_AGE_MS = 30 * 24 * 3_600_000

/** Peer records the address book keeps at most, on disk and in memory. */
export const ADDRESS_BOOK_MAX_PEERS = 1000

/** How often, while online, the address book is trimmed back to its size. */
export const ADDRESS_BOOK_TRIM_MS = 10 * 60_000

/** Known peers dialled at each redial round while the peer has no connection at all. */
export const KNOWN_PEER_DIALS = 8

/**
 * How long a peer that knows no one (no bootstrap, an empty address book) waits for someone to
 * find it, on mDNS or by dialling it, before it says so. @default 5000
 */
export const DEFAULT_LONELY_MS = 5_000

/**
 * How often the tasks counted done and failed since the last write are added to the store: one
 * transaction a second however short the tasks, and a crash loses at most that second of counts.
 */
export const TASK_COUNTS_FLUSH_MS = 1000

/** How often the credit the market has validated for this peer is compared with its credit history. */
export const CREDIT_RECORD_MS = 1000
