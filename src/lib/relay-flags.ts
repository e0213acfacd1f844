import { Flags } from '@oclif/core'
import type { RelayOptions } from '@p2pc/node'
import { UsageError } from '../errors.ts'
import { byteSize, duration, positiveInteger } from './flags.ts'

/** The flags of a peer that may serve circuit relay v2 for the swarm. */
export const relayFlags = {
  relay: Flags.boolean({
    description:
      "Also serve circuit relay v2: peers behind NATs reserve a slot here, meet each other through it, and, where they cannot connect directly, send the swarm's traffic through it.",
    default: false,
  }),
  'relay-slots': positiveInteger({
    description: 'Reservations held at once. [default: 128]',
  }),
  'relay-slots-per-address': positiveInteger({
    description: 'Reservations held at once for one IP address (one home). [default: 8]',
  }),
  'relay-circuits-per-peer': positiveInteger({
    description: 'Relayed connections open at once from, or to, one peer. [default: 16]',
  }),
  'relay-peer-rate': byteSize({
    description:
      'Bytes a second one peer may send through the relay, averaged over a minute. [default: 1MiB]',
  }),
  'relay-circuit-bytes': byteSize({
    description:
      'Bytes one relayed connection may carry; with a limit, peers use the relay only to meet directly. [default: 0, no limit]',
  }),
  'relay-circuit-time': duration({
    description:
      'How long one relayed connection may stay open, such as 2m; with a limit, as above. [default: no limit]',
  }),
}

const RELAY_CAP_FLAGS = [
  'relay-slots',
  'relay-slots-per-address',
  'relay-circuits-per-peer',
  'relay-peer-rate',
  'relay-circuit-bytes',
  'relay-circuit-time',
] as const

/** The PeerInit `relay` the flags ask for, if any. */
export function relayInit(flags: {
  relay: boolean
  'relay-slots'?: number
  'relay-slots-per-address'?: number
  'relay-circuits-per-peer'?: number
  'relay-peer-rate'?: number
  'relay-circuit-bytes'?: number
  'relay-circuit-time'?: number
}): { relay?: RelayOptions } {
  if (!flags.relay) {
    // oclif's dependsOn counts a boolean's default as given, so it would let these through.
    const stray = RELAY_CAP_FLAGS.find((name) => flags[name] !== undefined)
    if (stray !== undefined) throw new UsageError(`--${stray} sets a relay's caps: it needs --relay`)
    return {}
  }
  const options: RelayOptions = {
    slots: flags['relay-slots'],
    slotsPerAddress: flags['relay-slots-per-address'],
    circuitsPerPeer: flags['relay-circuits-per-peer'],
    peerBytesPerSecond: flags['relay-peer-rate'],
    circuitBytes: flags['relay-circuit-bytes'],
    circuitMs: flags['relay-circuit-time'],
  }
  return { relay: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) }
}
