import { autoNATv2 } from '@libp2p/autonat-v2'
import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayServer, circuitRelayTransport, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { gossipsub, StrictNoSign, type GossipSub } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import { identify, type Identify } from '@libp2p/identify'
import { KEEP_ALIVE, type PrivateKey } from '@libp2p/interface'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { noise } from '@libp2p/noise'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { uPnPNAT } from '@libp2p/upnp-nat'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import { MARKET_TOPIC } from '@p2pc/protocol'
import { PEERS_TOPIC } from './constants.ts'
import { relayServerInit, type RelaySettings } from './relay-options.ts'
import type { RelayGate } from './relay-gate.ts'

export type HostServices = {
  identify: Identify
  ping: Ping
  dht: KadDHT
  pubsub: GossipSub
  autoNAT: unknown
  dcutr: unknown
  /** Present on a peer that serves circuit relay v2. */
  relay?: CircuitRelayService
  upnp?: unknown
}
export type Host = Libp2p<HostServices>

/** Options of {@link createHost}. */
export interface HostInit {
  privateKey: PrivateKey
  /** Multiaddrs to listen on (TCP and WebSockets). */
  listen: string[]
  /** Multiaddrs, with /p2p/ ids, to join the swarm through. */
  bootstrap: string[]
  /** Discover peers on the local network by multicast DNS. */
  mdns: boolean
  heartbeatMs: number
  /** Serve circuit relay v2 with these settings, guarded by this gate; a relay holds no reservation itself. */
  relay?: { settings: RelaySettings; gate: RelayGate }
  /** STUN servers (`stun:host:port`) that WebRTC asks for this peer's outside address. @default [] */
  stun?: string[]
  /** Ask the home router by UPnP to forward a port to this peer. @default false */
  upnp?: boolean
  /** Where libp2p keeps its peer store, and for how long (see `addressBookOptions`). @default in memory */
  addressBook?: Pick<Libp2pOptions, 'datastore' | 'peerStore'>
}

/**
 * Where a peer listens besides its own addresses: a reservation on a relay it knows (libp2p looks
 * for one among the peers it meets, and again whenever one is lost), and WebRTC over that relay.
 * A relay is reachable by definition, and holds no reservation elsewhere.
 */
function reachListenAddresses(init: Pick<HostInit, 'listen' | 'relay'>): string[] {
  return init.relay !== undefined ? init.listen : [...init.listen, '/p2p-circuit', '/webrtc']
}

/**
 * Score parameters of a p2pc topic. The defaults would never push a peer below zero for invalid
 * messages: time in mesh saturates within seconds (quantum 1 ms) and outweighs them, and quiet
 * topics would be punished for low delivery rates. So: a small, capped reward for time in mesh,
 * no delivery-rate penalty, and a heavy, slowly decaying penalty per rejected message.
 */
export function topicScoreParams(): ReturnType<typeof createTopicScoreParams> {
  return createTopicScoreParams({
    topicWeight: 1,
    timeInMeshWeight: 0.01,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 10,
    firstMessageDeliveriesWeight: 1,
    firstMessageDeliveriesDecay: 0.5,
    firstMessageDeliveriesCap: 10,
    meshMessageDeliveriesWeight: 0,
    meshFailurePenaltyWeight: 0,
    invalidMessageDeliveriesWeight: -10,
    invalidMessageDeliveriesDecay: 0.9,
  })
}

/** Creates (without starting) the libp2p host of a p2pc peer. */
export async function createHost(init: HostInit): Promise<Host> {
  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = []
  if (init.bootstrap.length > 0) {
    // Tagged keep-alive, so libp2p redials them after a drop (it redials no other peer).
    peerDiscovery.push(bootstrap({ list: init.bootstrap, timeout: 0, tagName: KEEP_ALIVE, tagValue: 50 }))
  }
  if (init.mdns) peerDiscovery.push(mdns({ serviceTag: 'p2pc' }))
  const iceServers = (init.stun ?? []).map((urls) => ({ urls }))
  return createLibp2p({
    start: false,
    privateKey: init.privateKey,
    ...init.addressBook,
    addresses: { listen: reachListenAddresses(init) },
    transports: [
      tcp(),
      webSockets(),
      // A reservation is asked of the relays met, not only of named ones: a named relay's
      // reservation is never made again once it restarts (js-libp2p#3601).
      circuitRelayTransport(),
      webRTC({ rtcConfiguration: { iceServers } }),
    ],
    ...(init.relay === undefined ? {} : { connectionGater: init.relay.gate.gater }),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      // The default, 5 inbound connections a second per host, refuses peers behind one NAT or
      // on one machine that join together.
      inboundConnectionThreshold: 100,
      reconnectRetries: 10,
      reconnectRetryInterval: 500,
      reconnectBackoffFactor: 1.5,
    },
    peerDiscovery,
    services: {
      identify: identify({ protocolPrefix: 'p2pc' }),
      // Tells a peer which of its addresses others can dial. On private address ranges (every LAN
      // and NAT lab) it never confirms any, so a peer reserves relay slots whatever it says.
      autoNAT: autoNATv2(),
      // Kept for the peers it helps (go and rust ones behind TCP-friendly NATs); js peers meet
      // through WebRTC instead (see direct-upgrade.ts).
      dcutr: dcutr(),
      ...(init.relay === undefined
        ? {}
        : { relay: circuitRelayServer(relayServerInit(init.relay.settings)) }),
      ...(init.upnp === true ? { upnp: uPnPNAT({ portMappingDescription: 'p2pc' }) } : {}),
      ping: ping({ protocolPrefix: 'p2pc' }),
      // A private DHT, used for peer routing only: a peer's self-query through the bootstrap
      // peer finds the others, so the swarm becomes a mesh rather than a star. Server mode and
      // the passthrough mapper, or it stays silent on LANs and loopback, where auto mode never
      // leaves client mode and the default mapper drops private addresses.
      dht: kadDHT({
        protocol: '/p2pc/kad/1.0.0',
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        initialQuerySelfInterval: 200,
      }),
      pubsub: gossipsub({
        heartbeatInterval: init.heartbeatMs,
        // Envelopes are signed already; gossip ids are then the hash of the bytes, so the same
        // envelope from two relays is one message.
        globalSignaturePolicy: StrictNoSign,
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        scoreParams: {
          // Volunteers behind one NAT, or test peers on one machine, share an address.
          IPColocationFactorWeight: 0,
          topics: { [MARKET_TOPIC]: topicScoreParams(), [PEERS_TOPIC]: topicScoreParams() },
        },
      }),
    },
  }) as Promise<Host>
}
