import type { Connection, Stream, StreamHandler } from '@libp2p/interface'
import { TooManyStreamsError } from './errors.ts'

/** How many streams of one protocol a peer serves at once. */
export interface StreamLimits {
  /** From one remote peer, over all its connections. */
  perPeer: number
  /** From all peers together: fresh keys cost nothing, so the per-peer limit alone bounds nothing. */
  total: number
}

/**
 * Wraps a protocol handler so that streams over the limits are reset at once, before anything of
 * them is read. libp2p's own `maxInboundStreams` counts per connection, and one peer can open
 * several connections (TCP, WebSockets, a relay).
 */
export function limitStreams(protocol: string, limits: StreamLimits, handler: StreamHandler): StreamHandler {
  const perPeer = new Map<string, number>()
  let total = 0
  return async (stream: Stream, connection: Connection) => {
    const peer = connection.remotePeer.toString()
    const mine = perPeer.get(peer) ?? 0
    if (mine >= limits.perPeer || total >= limits.total) {
      throw new TooManyStreamsError(
        `${protocol}: ${mine >= limits.perPeer ? `${mine} streams of this peer` : `${total} streams`} already open`,
      )
    }
    perPeer.set(peer, mine + 1)
    total++
    try {
      await handler(stream, connection)
    } finally {
      total--
      const left = perPeer.get(peer)! - 1
      if (left === 0) perPeer.delete(peer)
      else perPeer.set(peer, left)
    }
  }
}
