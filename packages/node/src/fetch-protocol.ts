import type { PeerId, Stream } from '@libp2p/interface'
import { FETCH_PROTOCOL, cidOf, parseCid } from '@p2pc/protocol'
import type { BlobStore } from '@p2pc/store'
import { FETCH_STREAMS, REQUEST_TIMEOUT_MS, STREAM_TIMEOUT_MS } from './constants.ts'
import { BadRequestError, BlobNotFoundError } from './errors.ts'
import { field, frameStream } from './frames.ts'
import type { Host } from './host.ts'
import { limitStreams } from './stream-limits.ts'

/** A request names one CID: a few hundred bytes at most. */
const MAX_REQUEST_BYTES = 1024

/**
 * `/p2pc/fetch/1.0.0`: one request `{cid}`, one answer `{bytes}` or `{missing: true}`.
 * Any peer serves the blobs it holds, so a bundle spreads with the contributors who fetched it.
 * A request must arrive within {@link REQUEST_TIMEOUT_MS}; anything else resets the stream.
 */
export function serveBlobs(host: Host, blobs: BlobStore): Promise<void> {
  return host.handle(
    FETCH_PROTOCOL,
    limitStreams(FETCH_PROTOCOL, FETCH_STREAMS, async (stream: Stream) => {
      const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
      const frames = frameStream(stream, MAX_REQUEST_BYTES, true)
      const cid = field(
        await frames.read(AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])),
        'cid',
      )
      if (typeof cid !== 'string') throw new BadRequestError('a fetch request names no CID')
      // A malformed CID throws here, which resets the stream: the asker gets nothing.
      const bytes = await blobs.get(parseCid(cid).toString())
      await frames.write(bytes === undefined ? { missing: true } : { bytes }, signal)
      await stream.close({ signal })
    }),
    { maxInboundStreams: FETCH_STREAMS.perPeer },
  )
}

/**
 * Fetches a blob from the first of `peers` that has it, and checks it against its CID
 * before returning it: a peer cannot hand over anything else.
 *
 * @throws BlobNotFoundError when none of them has it
 */
export async function fetchBlob(host: Host, peers: PeerId[], cid: string): Promise<Uint8Array> {
  const wanted = parseCid(cid)
  for (const peer of peers) {
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    let stream: Stream | undefined
    try {
      stream = await host.dialProtocol(peer, FETCH_PROTOCOL, { signal })
      const frames = frameStream(stream)
      await frames.write({ cid }, signal)
      const bytes = field(await frames.read(signal), 'bytes')
      await stream.close({ signal })
      if (bytes instanceof Uint8Array && cidOf(bytes, wanted.code).equals(wanted)) return bytes
    } catch (err) {
      stream?.abort(err as Error)
    }
  }
  throw new BlobNotFoundError(`no connected peer has the blob ${cid}`)
}
