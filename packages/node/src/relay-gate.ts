import type { Connection, ConnectionGater, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { RELAY_V2_HOP_CODEC, RELAY_V2_STOP_CODEC, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { CIRCUIT_COUNT_DELAY_MS, RELAY_BUDGET_SECONDS } from './constants.ts'
import type { RelaySettings } from './relay-options.ts'

/** What the gate reads of the running host. */
export interface RelayGateHost {
  getConnections(peer?: PeerId): Connection[]
  relay(): CircuitRelayService | undefined
}

/** A relay's fairness: reservations per address, and a byte budget per peer. */
export interface RelayGate {
  /** The connection gater's relay hooks. */
  gater: Pick<ConnectionGater, 'denyInboundRelayReservation' | 'denyOutboundRelayedConnection'>
  /** Counts the bytes of new circuits, refills budgets, and resets the circuits of peers over theirs. */
  tick(seconds: number): void
  /**
   * Bytes peers sent through the relay since it started, peers over budget now, and the
   * reservations and relayed connections the gate refused.
   */
  usage(): { bytes: number; overBudget: number; refusedReservations: number; refusedCircuits: number }
}

/**
 * The gate of a p2pc relay. libp2p's relay caps reservations in all and streams per connection,
 * but nothing stops one home from taking every slot with many keys, or one peer from filling
 * the operator's uplink: the gate caps reservations per IP address, and gives each peer a
 * budget of bytes (a token bucket of {@link RELAY_BUDGET_SECONDS} at the set rate). The
 * circuits' streams are counted where they enter the relay, so each peer pays for what it sends.
 */
export function relayGate(settings: RelaySettings, host: () => RelayGateHost | undefined): RelayGate {
  const capacity = settings.peerBytesPerSecond * RELAY_BUDGET_SECONDS
  const budgets = new Map<string, number>()
  const counted = new WeakSet<Stream>()
  let total = 0
  let refusedReservations = 0
  let refusedCircuits = 0

  const overBudget = (peer: PeerId): boolean => (budgets.get(peer.toString()) ?? capacity) <= 0
  const charge = (peer: string, bytes: number): void => {
    budgets.set(peer, (budgets.get(peer) ?? capacity) - bytes)
    total += bytes
  }

  /** Starts counting the circuit streams of a peer's connections not counted yet. */
  const count = (connection: Connection): void => {
    const peer = connection.remotePeer.toString()
    for (const stream of connection.streams) {
      if (stream.protocol !== RELAY_V2_HOP_CODEC && stream.protocol !== RELAY_V2_STOP_CODEC) continue
      if (counted.has(stream)) continue
      counted.add(stream)
      // Bytes that arrive on a circuit's stream are bytes this peer sends through the relay.
      stream.addEventListener('message', (event) => charge(peer, event.data.byteLength))
    }
  }
  /** Counts a new circuit's streams as soon as they exist: its source's now, its destination's a moment later. */
  const countSoon = (...peers: PeerId[]): void => {
    const current = host()
    const run = (): void => {
      for (const peer of peers)
        for (const connection of current?.getConnections(peer) ?? []) count(connection)
    }
    run()
    setTimeout(run, CIRCUIT_COUNT_DELAY_MS).unref()
  }

  return {
    gater: {
      denyInboundRelayReservation(source) {
        const current = host()
        const address = ipOf(current?.getConnections(source)[0]?.remoteAddr)
        if (current === undefined || address === undefined) return false
        let fromAddress = 0
        for (const [peer, reservation] of current.relay()?.reservations ?? []) {
          // A peer renewing its own reservation keeps it.
          if (peer.equals(source)) return false
          if (ipOf(reservation.addr) === address) fromAddress++
        }
        const refuse = fromAddress >= settings.slotsPerAddress
        if (refuse) refusedReservations++
        return refuse
      },
      denyOutboundRelayedConnection(source, destination) {
        const refuse = overBudget(source) || overBudget(destination)
        if (refuse) refusedCircuits++
        else countSoon(source, destination)
        return refuse
      },
    },
    tick(seconds) {
      const current = host()
      if (current === undefined) return
      for (const connection of current.getConnections()) {
        count(connection)
        if (overBudget(connection.remotePeer)) resetCircuits(connection)
      }
      for (const [peer, budget] of budgets) {
        const refilled = budget + settings.peerBytesPerSecond * seconds
        if (refilled >= capacity) budgets.delete(peer)
        else budgets.set(peer, refilled)
      }
    },
    usage() {
      let over = 0
      for (const budget of budgets.values()) if (budget <= 0) over++
      return { bytes: total, overBudget: over, refusedReservations, refusedCircuits }
    },
  }
}

function resetCircuits(connection: Connection): void {
  for (const stream of connection.streams) {
    if (stream.protocol === RELAY_V2_HOP_CODEC || stream.protocol === RELAY_V2_STOP_CODEC) {
      stream.abort(new Error('the relay budget of this peer is spent'))
    }
  }
}

/** The IP address a multiaddr starts with, if it does. */
function ipOf(address: Multiaddr | undefined): string | undefined {
  return address?.getComponents().find((c) => c.name === 'ip4' || c.name === 'ip6')?.value
}
