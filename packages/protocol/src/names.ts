import { DAG_CBOR_CODEC, parseCid } from './cid.ts'

/** Gossipsub topic of the work market: job announces and task batches. */
export const MARKET_TOPIC = 'p2pc/market/1'

/** Prefix of per-job gossipsub topics; see {@link jobTopic}. */
export const JOB_TOPIC_PREFIX = 'p2pc/job/1/'

/** Stream protocol to fetch a blob (bundle, big inputs or outputs) by CID. */
export const FETCH_PROTOCOL = '/p2pc/fetch/1.0.0'

/** Stream protocol for anti-entropy: peers exchange what they hold of a job and send what is missing. */
export const SYNC_PROTOCOL = '/p2pc/sync/1.0.0'

/**
 * Signing domain: signatures cover these UTF-8 bytes followed by the payload, so a
 * p2pc signature cannot be replayed as a signature in another protocol or version.
 */
export const ENVELOPE_DOMAIN = 'p2pc/envelope/v1'

/**
 * The gossipsub topic of one job, carrying its claims and results.
 *
 * @throws InvalidCidError when `jobId` is not a canonical CID string
 */
export function jobTopic(jobId: string): string {
  parseCid(jobId, { codec: DAG_CBOR_CODEC })
  return `${JOB_TOPIC_PREFIX}${jobId}`
}
