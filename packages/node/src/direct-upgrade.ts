import type { Connection, PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Host } from './host.ts'

/** The protocol a peer that listens for WebRTC over its relays speaks (@libp2p/webrtc's SIGNALING_PROTOCOL). */
const WEBRTC_SIGNALING = '/webrtc-signaling/0.0.1'

/** Options of {@link upgradeRelayedConnections}. */
export interface DirectUpgradeInit {
  /** How long one attempt may take. */
  timeoutMs: number
  /** How long after a first failed attempt the same peer is tried again; the wait doubles with each failure. */
  firstRetryMs: number
  /** The longest wait between two attempts. */
  retryMs: number
}

/**
 * Replaces relayed connections by direct ones where the two homes allow it.
 *
 * DCUtR cannot do this in Node (no SO_REUSEPORT, so no TCP hole punch), but WebRTC, signalled over
 * the relayed connection, meets through two cone NATs. The peer that dialled through the relay
 * tries it; once a direct connection is up, the relayed ones to that peer are closed and identify
 * runs again on the direct one, so gossipsub and the other topologies move onto it (gossipsub
 * forgets a peer whose stream broke, and only identify tells it of the peer again).
 */
export function upgradeRelayedConnections(host: Host, init: DirectUpgradeInit): { stop(): void } {
  /** Per peer: when it may be tried again, and the wait after its next failure. */
  const backoff = new Map<string, { next: number; waitMs: number }>()
  /**
   * Peers this one reached through a relay that said they listen for WebRTC. Kept apart from the
   * backoff: a direct connection that was made and then lost (its identify timed out on a loaded
   * machine, say) must be made again, and identify does not run again on the relayed one to say so.
   */
  const upgradable = new Set<string>()
  const tryDirect = (peerId: PeerId, relayed: Connection): void => {
    const id = peerId.toString()
    if (host.getConnections(peerId).some((c) => c.direct && c.status === 'open')) return
    const state = backoff.get(id) ?? { next: 0, waitMs: init.firstRetryMs }
    if (state.next > Date.now()) return
    // Until this attempt ends, and after it fails, the peer waits; each failure doubles the wait.
    backoff.set(id, {
      next: Date.now() + init.timeoutMs + state.waitMs,
      waitMs: Math.min(state.waitMs * 2, init.retryMs),
    })
    void host
      .dial(webrtcAddress(relayed.remoteAddr, peerId), {
        force: true,
        signal: AbortSignal.timeout(init.timeoutMs),
      })
      .then(() => backoff.delete(id))
      // The relayed connection stays: a symmetric NAT on either side is enough to fail here, and a
      // loaded machine or a lost packet now and then.
      .catch(() => {})
  }
  const onIdentify = (
    event: CustomEvent<{ peerId: PeerId; connection: Connection; protocols: string[] }>,
  ): void => {
    const { peerId, connection, protocols } = event.detail
    if (connection.direct) void leaveRelays(host, peerId, connection)
    else if (connection.direction === 'outbound' && protocols.includes(WEBRTC_SIGNALING)) {
      upgradable.add(peerId.toString())
      tryDirect(peerId, connection)
    }
  }
  const onDisconnect = (event: CustomEvent<PeerId>): void => {
    upgradable.delete(event.detail.toString())
    backoff.delete(event.detail.toString())
  }
  // Identify runs once a connection: a failed or lost attempt is tried again from here. And a relayed
  // connection that opened after the direct one was identified (both peers dialled through the
  // relay at once, one of them late) is closed here, once it is a retry period old; younger, it
  // may be a stream's way in that is about to move over.
  const retry = setInterval(() => {
    for (const connection of host.getConnections()) {
      if (connection.direct || connection.status !== 'open') continue
      const peer = connection.remotePeer
      const direct = host.getConnections(peer).find((c) => c.direct && c.status === 'open')
      if (direct !== undefined) {
        if (Date.now() - connection.timeline.open >= init.firstRetryMs) void leaveRelays(host, peer, direct)
        continue
      }
      if (connection.direction === 'outbound' && upgradable.has(peer.toString())) tryDirect(peer, connection)
    }
  }, init.firstRetryMs)
  retry.unref()
  host.addEventListener('peer:identify', onIdentify)
  host.addEventListener('peer:disconnect', onDisconnect)
  return {
    stop: () => {
      clearInterval(retry)
      host.removeEventListener('peer:identify', onIdentify)
      host.removeEventListener('peer:disconnect', onDisconnect)
    },
  }
}

/** The WebRTC address of a peer reached through a relay: the same relay, then `/webrtc`. */
function webrtcAddress(relayed: Multiaddr, peer: PeerId): Multiaddr {
  const relay = relayed.toString().split('/p2p-circuit')[0]
  return multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${peer.toString()}`)
}

async function leaveRelays(host: Host, peer: PeerId, direct: Connection): Promise<void> {
  const relayed = host.getConnections(peer).filter((c) => !c.direct)
  if (relayed.length === 0) return
  await Promise.allSettled(relayed.map((c) => c.close()))
  if (direct.status === 'open') await host.services.identify.identify(direct).catch(() => {})
}
