import type { CircuitRelayServerInit } from '@libp2p/circuit-relay-v2'
import {
  DEFAULT_RELAY_CIRCUITS_PER_PEER,
  DEFAULT_RELAY_PEER_BYTES_PER_SECOND,
  DEFAULT_RELAY_SLOTS,
  DEFAULT_RELAY_SLOTS_PER_ADDRESS,
} from './constants.ts'
import { InvalidOptionError } from './errors.ts'

/** How a peer that serves circuit relay v2 shares itself out; every field is optional. */
export interface RelayOptions {
  /** Reservations held at once, over every peer. @default 128 */
  slots?: number
  /** Reservations held at once by peers from one IP address (one home, one NAT). @default 8 */
  slotsPerAddress?: number
  /** Relayed connections open at once from or to one peer. @default 16 */
  circuitsPerPeer?: number
  /**
   * Bytes a second, on average over {@link RELAY_BUDGET_SECONDS}, that one peer may send through
   * the relay. A peer over its budget has its relayed connections reset and gets no new one until
   * the budget has refilled. @default 1 MiB/s
   */
  peerBytesPerSecond?: number
  /**
   * Bytes one relayed connection may carry, in both directions together; 0 means no limit. With a
   * limit, libp2p marks relayed connections as limited, and the swarm's protocols (gossip, sync,
   * fetch) do not run on them: the relay then only lets peers find each other and meet directly.
   * @default 0
   */
  circuitBytes?: number
  /** How long one relayed connection may stay open, in ms; 0 means no limit (see `circuitBytes`). @default 0 */
  circuitMs?: number
}

/** The largest data limit of a circuit (a uint64 in the relay protocol). */
const NO_DATA_LIMIT = 2n ** 63n - 1n

/** The longest duration limit the relay can time (setTimeout's largest delay). */
const NO_DURATION_LIMIT_MS = 2 ** 31 - 1

/** The settled form of {@link RelayOptions}. */
export type RelaySettings = Required<RelayOptions>

/** The options with their defaults, checked: every count positive, every limit a whole number. */
export function relaySettings(options: RelayOptions): RelaySettings {
  const settings: RelaySettings = {
    slots: options.slots ?? DEFAULT_RELAY_SLOTS,
    slotsPerAddress: options.slotsPerAddress ?? DEFAULT_RELAY_SLOTS_PER_ADDRESS,
    circuitsPerPeer: options.circuitsPerPeer ?? DEFAULT_RELAY_CIRCUITS_PER_PEER,
    peerBytesPerSecond: options.peerBytesPerSecond ?? DEFAULT_RELAY_PEER_BYTES_PER_SECOND,
    circuitBytes: options.circuitBytes ?? 0,
    circuitMs: options.circuitMs ?? 0,
  }
  for (const name of ['slots', 'slotsPerAddress', 'circuitsPerPeer', 'peerBytesPerSecond'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) {
      throw new InvalidOptionError(`options.relay.${name} must be a positive integer`)
    }
  }
  for (const name of ['circuitBytes', 'circuitMs'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 0) {
      throw new InvalidOptionError(`options.relay.${name} must be a whole number (0: no limit)`)
    }
  }
  return settings
}

/** Whether the relay's connections are limited, and so carry only what runs on limited connections. */
function relayIsLimited(settings: RelaySettings): boolean {
  return settings.circuitBytes > 0 || settings.circuitMs > 0
}

/**
 * The circuit relay server's own settings. libp2p's default limits (128 KiB or 2 min a
 * connection) reset any gossip or sync stream put on them, so a p2pc relay applies none unless
 * asked: like a TURN server, it carries the swarm for peers that cannot meet directly, and
 * {@link relayGate} keeps that fair instead.
 */
export function relayServerInit(settings: RelaySettings): CircuitRelayServerInit {
  const limited = relayIsLimited(settings)
  return {
    reservations: {
      maxReservations: settings.slots,
      applyDefaultLimit: limited,
      // libp2p applies both limits or none, and reads 0 as 0: a zero duration resets a circuit at
      // once, and zero bytes at its first byte. So the limit not asked for is the largest its field
      // and the relay's timer can hold.
      ...(limited
        ? {
            defaultDataLimit: settings.circuitBytes > 0 ? BigInt(settings.circuitBytes) : NO_DATA_LIMIT,
            defaultDurationLimit: settings.circuitMs > 0 ? settings.circuitMs : NO_DURATION_LIMIT_MS,
          }
        : {}),
    },
    // Both are per connection, so per peer: a circuit is an inbound HOP stream from its source
    // (open for as long as the circuit, beside one for reserving) and an outbound STOP stream to
    // its destination.
    maxInboundHopStreams: settings.circuitsPerPeer + 1,
    maxOutboundStopStreams: settings.circuitsPerPeer,
  }
}
