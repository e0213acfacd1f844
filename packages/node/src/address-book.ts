import { KEEP_ALIVE, type Peer as StoredPeer, type PeerId, type PeerStore } from '@libp2p/interface'
import { MemoryDatastore } from 'datastore-core/memory'
import { MountDatastore } from 'datastore-core/mount'
import { Key, type Datastore } from 'interface-datastore'
import type { Libp2pOptions } from 'libp2p'
import { ADDRESS_BOOK_MAX_AGE_MS, ADDRESS_BOOK_MAX_PEERS } from './constants.ts'

/** libp2p's peer store keeps one record per peer under this key: `/peers/<peer id as a base32 CID>`. */
const PEER_RECORDS = new Key('/peers')

/** The start of every p2pc gossip topic (market, jobs, peer records), which gossipsub uses as tag names. */
const TOPIC_TAGS = 'p2pc/'

/** Peer store metadata: when this peer last identified that one, in ms since the epoch, as decimal text. */
const MET = 'p2pc/met'

/**
 * The libp2p options of a host whose peer store is kept in `persistent`, the data dir's database.
 *
 * Only the peer store's records are kept. The other writer to libp2p's datastore here is the DHT
 * (`/dht/record/…`, `/dht/provider/…`): any peer may PUT a record or ADD_PROVIDER for any key,
 * and p2pc uses its DHT for peer routing only, so those stay in memory, as before, and die with
 * the process; so would anything a service added later keeps there (libp2p 3.3 has no keychain
 * of its own; WebRTC-direct, which p2pc does not use, would keep its certificate).
 *
 * libp2p hides an address an hour after it was first stored (`maxAddressAge`: the time is kept
 * when the address is stored again) and forgets a peer six hours after its last update: a
 * contributor restarted the next morning would find its address book empty. Both ages are
 * raised to {@link ADDRESS_BOOK_MAX_AGE_MS}; the size is bounded by {@link AddressBook} instead.
 */
export function addressBookOptions(persistent: Datastore): Pick<Libp2pOptions, 'datastore' | 'peerStore'> {
  return {
    datastore: new MountDatastore([
      { prefix: PEER_RECORDS, datastore: persistent },
      { prefix: new Key('/'), datastore: new MemoryDatastore() },
    ]),
    peerStore: { maxAddressAge: ADDRESS_BOOK_MAX_AGE_MS, maxPeerAge: ADDRESS_BOOK_MAX_AGE_MS },
  }
}

/** Options of {@link AddressBook}. */
export interface AddressBookInit {
  peerStore: PeerStore
  /** Peer records kept at most. @default ADDRESS_BOOK_MAX_PEERS */
  maxPeers?: number
  now?: () => number
}

/**
 * The peers this one has met, over libp2p's peer store, and the bounds on what that store keeps.
 *
 * Anyone can make a peer store grow: a DHT answer names up to 20 peers with their addresses, and
 * a flood of them (or of identities that connect once) would fill the data dir, run after run.
 * So the address book counts a peer as met only once it identified itself on a connection (its
 * id is then proven by the handshake), keeps at most `maxPeers` records, those met most recently
 * first, and at each start forgets the peers it never met.
 */
export class AddressBook {
  private readonly peerStore: PeerStore
  private readonly maxPeers: number
  private readonly now: () => number
  /** Where the next round of {@link nextToDial} starts in the list of known peers. */
  private cursor = 0

  constructor(init: AddressBookInit) {
    this.peerStore = init.peerStore
    this.maxPeers = init.maxPeers ?? ADDRESS_BOOK_MAX_PEERS
    this.now = init.now ?? Date.now
  }

  /**
   * Records that a peer identified itself: met now, and tagged keep-alive, so that libp2p
   * redials it after a drop and dials it when this peer starts again.
   */
  async met(peerId: PeerId): Promise<void> {
    await this.peerStore.merge(peerId, {
      tags: { [KEEP_ALIVE]: { value: 50 } },
      metadata: { [MET]: new TextEncoder().encode(String(this.now())) },
    })
  }

  /** The peers met, the most recently met first. */
  async known(): Promise<PeerId[]> {
    return ranked(await this.peerStore.all())
      .filter((peer) => metAt(peer) !== undefined)
      .map((peer) => peer.id)
  }

  /**
   * The next `count` peers met, going round the list: the most recently met are the best
   * guesses, but when they are all gone an older one may still be there.
   */
  async nextToDial(count: number): Promise<PeerId[]> {
    const known = await this.known()
    if (known.length <= count) return known
    const start = this.cursor % known.length
    this.cursor = start + count
    return [...known, ...known].slice(start, start + count)
  }

  /**
   * At start, before libp2p dials anyone: forgets the peers never met (learnt from the DHT or
   * from a flood; the swarm names them again once this peer is online), keeps the `maxPeers`
   * met most recently, and drops their gossip topic tags. Gossipsub tags a mesh peer with each
   * topic's name, one tag per job, and a peer that stops keeps them in the record for good.
   */
  async prune(): Promise<void> {
    const kept = await this.keep((peer) => metAt(peer) !== undefined)
    for (const peer of kept) {
      const stale = [...peer.tags.keys()].filter((tag) => tag.startsWith(TOPIC_TAGS))
      if (stale.length === 0) continue
      await this.peerStore.merge(peer.id, { tags: Object.fromEntries(stale.map((tag) => [tag, undefined])) })
    }
  }

  /** While online: at most `maxPeers` records, the never met going first, then those met longest ago. */
  async trim(): Promise<void> {
    await this.keep(() => true)
  }

  /** Deletes every record but the first `maxPeers` of those `eligible`, in rank order; returns those kept. */
  private async keep(eligible: (peer: StoredPeer) => boolean): Promise<StoredPeer[]> {
    const peers = ranked(await this.peerStore.all())
    const kept = peers.filter(eligible).slice(0, this.maxPeers)
    const keptIds = new Set(kept.map((peer) => peer.id.toString()))
    for (const peer of peers) {
      if (!keptIds.has(peer.id.toString())) await this.peerStore.delete(peer.id)
    }
    return kept
  }
}

/** Peers met most recently first, then those never met. */
function ranked(peers: StoredPeer[]): StoredPeer[] {
  return peers.sort((a, b) => (metAt(b) ?? -1) - (metAt(a) ?? -1))
}

function metAt(peer: StoredPeer): number | undefined {
  const stored = peer.metadata.get(MET)
  if (stored === undefined) return undefined
  const time = Number(new TextDecoder().decode(stored))
  return Number.isFinite(time) ? time : undefined
}
