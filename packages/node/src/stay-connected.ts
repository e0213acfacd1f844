import type { PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { AddressBook } from './address-book.ts'
import { ADDRESS_BOOK_TRIM_MS, KNOWN_PEER_DIALS, PEER_EXCHANGE_TARGET } from './constants.ts'
import type { Host } from './host.ts'

/** Options of {@link stayConnected}. */
export interface StayConnectedInit {
  /** Multiaddrs, with /p2p/, of the peers to join through (this peer's own left out). */
  bootstrap: string[]
  book: AddressBook
  /** How often the bootstrap peers, and with no connection some known peers, are dialled again. */
  redialMs: number
  /** How long a peer that knows no one waits for someone before it says so. */
  lonelyMs: number
  /** The peer knew no one when it started: no bootstrap peer, nobody in its address book. */
  knewNoOne: boolean
  /** Called once, if the peer knew no one and is still alone after `lonelyMs`. */
  onLonely(): void
}

/**
 * Keeps a started host in the swarm: it remembers every peer it meets, dials the peers it
 * discovers (mDNS, bootstrap) while it knows few, redials its bootstrap peers and, when it is
 * alone, peers it met before, and says so once when it knows no one at all.
 */
export function stayConnected(host: Host, init: StayConnectedInit): { stop(): Promise<void> } {
  const { book } = init
  const timers: NodeJS.Timeout[] = []
  const dial = (target: Multiaddr | PeerId): void =>
    void host.dial(target, { signal: AbortSignal.timeout(5_000) }).catch(() => {})

  // Writes of the address book not yet done: stop waits for them, or a peer stopped soon after
  // it met someone (a busy machine is slow to write) forgot it, and started again knowing no one.
  const writing = new Set<Promise<void>>()
  const onIdentify = (event: CustomEvent<{ peerId: PeerId }>): void => {
    // Every peer met is remembered and kept alive, so libp2p redials it after a drop.
    const write = book.met(event.detail.peerId).catch(() => {})
    writing.add(write)
    void write.finally(() => writing.delete(write))
  }
  // libp2p 3 no longer dials what discovery finds: it only writes it to the peer store.
  const onDiscovery = (event: CustomEvent<{ id: PeerId }>): void => {
    if (host.getPeers().length < PEER_EXCHANGE_TARGET && host.getConnections(event.detail.id).length === 0) {
      dial(event.detail.id)
    }
  }
  const redial = async (): Promise<void> => {
    const connected = new Set(host.getPeers().map((peer) => peer.toString()))
    for (const address of init.bootstrap) {
      const id = peerIdIn(address)
      if (id === undefined || !connected.has(id)) dial(multiaddr(address))
    }
    if (connected.size > 0) return
    // libp2p's own redial gives up after a while and then drops the keep-alive tag, so it would not
    // dial these peers at the next start either.
    for (const peer of await book.nextToDial(KNOWN_PEER_DIALS).catch(() => [])) dial(peer)
  }

  host.addEventListener('peer:identify', onIdentify)
  host.addEventListener('peer:discovery', onDiscovery)
  const every = (ms: number, fn: () => void): void => {
    const timer = setInterval(fn, ms)
    timer.unref()
    timers.push(timer)
  }
  every(init.redialMs, () => void redial())
  every(ADDRESS_BOOK_TRIM_MS, () => void book.trim().catch(() => {}))
  // The first round once libp2p has started (its own start-up dials come first).
  host.addEventListener('start', () => void redial(), { once: true })
  if (init.knewNoOne) {
    const timer = setTimeout(() => {
      if (host.getPeers().length === 0) init.onLonely()
    }, init.lonelyMs)
    timer.unref()
    timers.push(timer)
  }
  return {
    async stop() {
      // clearInterval clears a timeout too: both are Node's Timeout.
      for (const timer of timers.splice(0)) clearInterval(timer)
      host.removeEventListener('peer:identify', onIdentify)
      host.removeEventListener('peer:discovery', onDiscovery)
      await Promise.all(writing)
    },
  }
}

/** The peer a multiaddr names: its last /p2p/ (a relayed address names the relay first). */
export function peerIdIn(address: string): string | undefined {
  return multiaddr(address)
    .getComponents()
    .findLast((c) => c.name === 'p2p')?.value
}
