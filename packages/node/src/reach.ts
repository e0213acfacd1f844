import type { PrivateKey } from '@libp2p/interface'
import {
  DIRECT_FIRST_RETRY_MS,
  DIRECT_RETRY_MS,
  PEER_EXCHANGE_TARGET,
  RELAY_GATE_TICK_MS,
} from './constants.ts'
import { upgradeRelayedConnections } from './direct-upgrade.ts'
import type { Host } from './host.ts'
import { exchangePeers } from './peer-exchange.ts'
import type { RelayGate } from './relay-gate.ts'

/** Options of {@link startReach}. */
export interface ReachInit {
  privateKey: PrivateKey
  /** How long one attempt to replace a relayed connection by a direct one may take. */
  directUpgradeTimeoutMs: number
  /** How often this peer publishes its peer record again. */
  peerRecordMs: number
  /** On a relay, the gate whose budgets are counted and refilled. */
  relayGate?: RelayGate
}

/**
 * What a started host does to be reached behind NATs, and to reach others: WebRTC upgrades of
 * relayed connections, peer records on gossip, and on a relay, its gate's budgets. The host's own
 * part (relay transport, reservations, the relay server) is set up in host.ts.
 */
export function startReach(host: Host, init: ReachInit): { stop(): void } {
  const timers: NodeJS.Timeout[] = []
  const every = (ms: number, fn: () => void): void => {
    const timer = setInterval(fn, ms)
    timer.unref()
    timers.push(timer)
  }
  const upgrades = upgradeRelayedConnections(host, {
    timeoutMs: init.directUpgradeTimeoutMs,
    firstRetryMs: DIRECT_FIRST_RETRY_MS,
    retryMs: DIRECT_RETRY_MS,
  })
  const exchange = exchangePeers(host, { privateKey: init.privateKey, target: PEER_EXCHANGE_TARGET })
  every(init.peerRecordMs, () => void exchange.publish().catch(() => {}))
  const gate = init.relayGate
  if (gate !== undefined) every(RELAY_GATE_TICK_MS, () => gate.tick(RELAY_GATE_TICK_MS / 1000))
  return {
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer)
      upgrades.stop()
      exchange.stop()
    },
  }
}
