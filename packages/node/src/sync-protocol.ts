import type { PeerId, Stream } from '@libp2p/interface'
import { SYNC_PROTOCOL, openEnvelope, type SealedEnvelope } from '@p2pc/protocol'
import type { Store } from '@p2pc/store'
import {
  MAX_FRAME_BYTES,
  MAX_SYNC_HAVE,
  MAX_SYNC_JOBS,
  MAX_SYNC_REQUESTS,
  REQUEST_TIMEOUT_MS,
  STREAM_TIMEOUT_MS,
  SYNC_STREAMS,
} from './constants.ts'
import { BadRequestError } from './errors.ts'
import { field, frameStream } from './frames.ts'
import type { Host } from './host.ts'
import { limitStreams } from './stream-limits.ts'

/** Envelope bytes per answer frame: well under the frame limit. */
const ANSWER_BUDGET = MAX_FRAME_BYTES / 2

/**
 * `/p2pc/sync/1.0.0`, anti-entropy by pulling. On one stream the asker sends requests and
 * reads answers until it closes:
 *
 * - `{jobs: true}` → `{jobs: [jobId…]}`: the jobs the server holds envelopes of;
 * - `{jobId, have: [envelopeId…]}` → frames `{envelopes: [bytes…]}` with every envelope of
 *   the job the asker lacks, then `{done: true}`.
 *
 * Both peers run it against each other, so each ends up with the union. Claims are hints and
 * are not kept, so they are not synced.
 *
 * A session served is bounded: each request must arrive within {@link REQUEST_TIMEOUT_MS}, the
 * whole session within {@link STREAM_TIMEOUT_MS} (the asker's own deadline), with at most
 * {@link MAX_SYNC_REQUESTS} requests and {@link MAX_SYNC_HAVE} ids in one; a request over those
 * or malformed resets the stream.
 */
export function serveSync(host: Host, store: Store): Promise<void> {
  return host.handle(
    SYNC_PROTOCOL,
    limitStreams(SYNC_PROTOCOL, SYNC_STREAMS, async (stream: Stream) => {
      const frames = frameStream(stream, MAX_FRAME_BYTES, true)
      const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
      for (let requests = 0; ; requests++) {
        let request: unknown
        try {
          request = await frames.read(AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]))
        } catch (err) {
          // The asker closed the stream: the session is over. Too slow, too big, not a frame: reset.
          if (stream.readStatus === 'closed' || stream.remoteWriteStatus !== 'writable') break
          throw err
        }
        if (requests >= MAX_SYNC_REQUESTS) throw new BadRequestError('too many requests in one sync session')
        if (field(request, 'jobs') === true) {
          await frames.write({ jobs: [...new Set(store.jobs().map((job) => job.jobId))] }, signal)
          continue
        }
        const jobId = field(request, 'jobId')
        const have = field(request, 'have')
        if (typeof jobId !== 'string' || !Array.isArray(have))
          throw new BadRequestError('malformed sync request')
        if (have.length > MAX_SYNC_HAVE)
          throw new BadRequestError(`a sync request lists over ${MAX_SYNC_HAVE} ids`)
        const known = new Set(have.filter((id): id is string => typeof id === 'string'))
        let batch: Uint8Array[] = []
        let size = 0
        for (const id of store.envelopeIds(jobId)) {
          if (known.has(id)) continue
          const bytes = store.getEnvelope(id)
          if (bytes === undefined) continue
          if (size + bytes.length > ANSWER_BUDGET && batch.length > 0) {
            await frames.write({ envelopes: batch }, signal)
            batch = []
            size = 0
          }
          batch.push(bytes)
          size += bytes.length
        }
        if (batch.length > 0) await frames.write({ envelopes: batch }, signal)
        await frames.write({ done: true }, signal)
      }
      await stream.close({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(() => {})
    }),
    { maxInboundStreams: SYNC_STREAMS.perPeer },
  )
}

/** What {@link syncFrom} needs of the asking peer. */
export interface SyncTarget {
  store: Store
  maxBytes: number
  /** Takes an envelope the other peer had; it has been opened and verified. */
  receive(envelope: SealedEnvelope): void
}

/**
 * Pulls from `peer` every envelope this peer lacks, for every job either side knows.
 * Each envelope is verified like any other network input; a bad one is dropped.
 *
 * @returns how many envelopes arrived
 */
export async function syncFrom(host: Host, peer: PeerId, target: SyncTarget): Promise<number> {
  const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
  const stream = await host.dialProtocol(peer, SYNC_PROTOCOL, { signal })
  let received = 0
  try {
    const frames = frameStream(stream)
    await frames.write({ jobs: true }, signal)
    const theirs = field(await frames.read(signal), 'jobs')
    const jobs = new Set(target.store.jobs().map((job) => job.jobId))
    if (Array.isArray(theirs)) {
      for (const id of theirs.slice(0, MAX_SYNC_JOBS)) if (typeof id === 'string') jobs.add(id)
    }
    for (const jobId of [...jobs].slice(0, MAX_SYNC_REQUESTS - 1)) {
      await frames.write({ jobId, have: target.store.envelopeIds(jobId).slice(-MAX_SYNC_HAVE) }, signal)
      for (;;) {
        const answer = await frames.read(signal)
        if (field(answer, 'done') === true) break
        const envelopes = field(answer, 'envelopes')
        if (!Array.isArray(envelopes)) throw new Error('malformed sync answer')
        for (const bytes of envelopes) {
          if (!(bytes instanceof Uint8Array)) continue
          const envelope = await openEnvelope(bytes, { maxBytes: target.maxBytes }).catch(() => undefined)
          if (envelope === undefined) continue
          target.receive(envelope)
          received++
        }
      }
    }
    await stream.close({ signal })
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
  return received
}
