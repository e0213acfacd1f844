import { RELAY_V2_STOP_CODEC } from '@libp2p/circuit-relay-v2'
import type { Host } from './host.ts'
import type { RelayGate } from './relay-gate.ts'

/** One open connection, as `p2pc status` lists it. */
export interface ConnectionStatus {
  peer: string
  address: string
  /** The connection goes through a relay (a direct WebRTC one over a relay's signalling is not relayed). */
  relayed: boolean
}

/** What a relay shares out now, as `p2pc status` shows it to its operator. */
export interface RelayStatus {
  /** Peers holding a reservation. */
  reservations: number
  /** Relayed connections open. */
  circuits: number
  /** Bytes peers sent through the relay since it started. */
  bytes: number
  /** Peers whose byte budget is spent now. */
  overBudget: number
  /** Reservations refused since start because their address held its share of slots. */
  refusedReservations: number
  /** Relayed connections refused since start because a peer's byte budget was spent. */
  refusedCircuits: number
}

/** The host's open connections, one entry each (a peer may have a relayed and a direct one for a moment). */
export function connectionsOf(host: Host): ConnectionStatus[] {
  return host
    .getConnections()
    .filter((connection) => connection.status === 'open')
    .map((connection) => ({
      peer: connection.remotePeer.toString(),
      address: connection.remoteAddr.toString(),
      relayed: !connection.direct,
    }))
}

/** A relay's reservations and circuits now, and its gate's counts. */
export function relayStatus(host: Host, gate: RelayGate): RelayStatus {
  let circuits = 0
  for (const connection of host.getConnections()) {
    for (const stream of connection.streams) if (stream.protocol === RELAY_V2_STOP_CODEC) circuits++
  }
  return { reservations: host.services.relay?.reservations.size ?? 0, circuits, ...gate.usage() }
}
