/**
 * Defaults and bounds of the wire format. Bounds are part of the protocol: every
 * peer must use the same ones, or peers would disagree on which messages are valid.
 */

/** Version number carried as `v` by every message payload. */
export const MESSAGE_VERSION = 1

/**
 * Largest envelope, in bytes, that `openEnvelope` accepts and `sealEnvelope`
 * produces by default. Gossip stays far below the 4 MiB frame limit: anything
 * bigger travels as a blob, by CID.
 */
export const MAX_ENVELOPE_BYTES = 256 * 1024

/** Largest `quorum` a job may ask for. */
export const MAX_QUORUM = 64

/** Largest `maxReplicas` (results per task) a job may allow; also bounds `maxErrors`. */
export const MAX_REPLICAS = 128

/** Shortest task lease, in milliseconds. */
export const MIN_LEASE_MS = 1000

/** Longest task lease, in milliseconds (one day). */
export const MAX_LEASE_MS = 24 * 60 * 60 * 1000

/** Largest number of tasks (and of batches) in one job; task indexes are below it. */
export const MAX_TASK_COUNT = 2 ** 32

/** Largest number of task indexes in one claim. */
export const MAX_CLAIM_TASKS = 256

/** Tasks in one Seal. */
export const MAX_SEAL_TASKS = 256

/** Results in one ResultBatch. */
export const MAX_BATCH_RESULTS = 256

/** Largest number of inline task inputs in one batch. */
export const MAX_BATCH_INPUTS = 10_000

/** Longest workload name, in characters. */
export const MAX_NAME_LENGTH = 200

/** Longest workload version string, in characters. */
export const MAX_VERSION_LENGTH = 64

/** Longest runtime class string (such as `node-24/x64`), in characters. */
export const MAX_RUNTIME_LENGTH = 64

/** Longest reported task duration, in milliseconds (one week, as tasks can outlive leases through checkpoints). */
export const MAX_DURATION_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Longest error message a failed task's answer carries, in characters: enough for a sentence,
 * too little for a stack trace, which would differ from peer to peer.
 */
export const MAX_ERROR_LENGTH = 500

/**
 * Longest private answer's box (see `AnswerBody`), in base64url characters: an inline output
 * of about 150 KB once encrypted, within {@link MAX_ENVELOPE_BYTES}.
 */
export const MAX_BOX_LENGTH = 200_000

/**
 * Largest output of one task, as canonical bytes: an output by CID is fetched in one frame of
 * 4 MiB, which also holds a few bytes of framing.
 */
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024 - 1024

/** Largest timestamp, in milliseconds since the epoch (the largest valid `Date`). */
export const MAX_TIMESTAMP = 8_640_000_000_000_000

/** Deepest nesting of arrays and objects in a message, counting the message itself. */
export const MAX_JSON_DEPTH = 64

/** Longest CID string accepted in a message (a sha2-256 CIDv1 in base32 is 59 characters). */
export const MAX_CID_LENGTH = 100
