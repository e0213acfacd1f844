import test from 'ava'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { KEEP_ALIVE, type PeerId, type PeerStore } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { persistentPeerStore } from '@libp2p/peer-store'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core/memory'
import { Key } from 'interface-datastore'
import { TypedEventEmitter } from 'main-event'
import { AddressBook, addressBookOptions } from '@p2pc/node'

async function randomPeerId(): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A real libp2p peer store over an in-memory datastore. */
async function peerStore(): Promise<PeerStore> {
  return persistentPeerStore({
    peerId: await randomPeerId(),
    datastore: new MemoryDatastore(),
    events: new TypedEventEmitter(),
    logger: defaultLogger(),
  })
}

/** `count` peers that a DHT answer or a flood could name: an address each, never met. */
async function learnt(store: PeerStore, count: number): Promise<PeerId[]> {
  const peers = await Promise.all(Array.from({ length: count }, () => randomPeerId()))
  for (const [i, peer] of peers.entries()) {
    await store.merge(peer, { multiaddrs: [multiaddr(`/ip4/10.0.0.${i % 250}/tcp/4001`)] })
  }
  return peers
}

test('at start the address book forgets the peers never met, keeps the most recently met, and drops their topic tags', async (t) => {
  const store = await peerStore()
  let now = 1000
  const book = new AddressBook({ peerStore: store, maxPeers: 3, now: () => now })
  const flood = await learnt(store, 40)
  const met = await Promise.all(Array.from({ length: 5 }, () => randomPeerId()))
  for (const peer of met) {
    now += 1000
    await store.merge(peer, {
      multiaddrs: [multiaddr('/ip4/192.0.2.1/tcp/4001')],
      tags: {
        'p2pc/market/1': { value: 100 },
        'p2pc/job/1/bafyjob': { value: 100 },
        'kad-peer': { value: 1 },
      },
    })
    await book.met(peer)
  }
  t.is((await store.all()).length, 45)

  await book.prune()

  const newest = met.slice(-3).reverse()
  t.deepEqual(await book.known(), newest, 'the three met last, the most recent first')
  t.deepEqual(
    (await store.all()).map((peer) => peer.id.toString()).sort(),
    newest.map(String).sort(),
    'no peer of the flood is left',
  )
  for (const id of newest) {
    const peer = await store.get(id)
    t.deepEqual([...peer.tags.keys()].sort(), ['kad-peer', KEEP_ALIVE], 'the gossip topic tags are gone')
    t.is(peer.addresses.length, 1, 'and the address is kept')
  }
  t.false(await store.has(flood[0]!))
})

test('online, the address book is trimmed to its size, the never-met going first', async (t) => {
  const store = await peerStore()
  const book = new AddressBook({ peerStore: store, maxPeers: 4 })
  const met = [await randomPeerId(), await randomPeerId()]
  for (const peer of met) await book.met(peer)
  await learnt(store, 20)

  await book.trim()

  const left = await store.all()
  t.is(left.length, 4)
  t.deepEqual((await book.known()).map(String).sort(), met.map(String).sort(), 'every peer met is kept')
})

test('nextToDial goes round the peers met, the most recent first', async (t) => {
  const store = await peerStore()
  let now = 0
  const book = new AddressBook({ peerStore: store, now: () => ++now })
  const met = await Promise.all(Array.from({ length: 5 }, () => randomPeerId()))
  for (const peer of met) await book.met(peer)
  const newestFirst = [...met].reverse().map(String)
  const rounds = []
  for (let round = 0; round < 3; round++) rounds.push((await book.nextToDial(2)).map(String))
  t.deepEqual(rounds, [newestFirst.slice(0, 2), newestFirst.slice(2, 4), [newestFirst[4], newestFirst[0]]])
})

test("only the peer store's records reach the persistent datastore; the DHT's stay in memory", async (t) => {
  const persistent = new MemoryDatastore()
  const { datastore, peerStore: ages } = addressBookOptions(persistent)
  await datastore!.put(new Key('/peers/bafzpeer'), new Uint8Array([1]))
  await datastore!.put(new Key('/dht/record/anything'), new Uint8Array([2]))
  await datastore!.put(new Key('/dht/provider/anything/else'), new Uint8Array([3]))
  const kept = []
  for await (const key of persistent.queryKeys({})) kept.push(key.toString())
  t.deepEqual(kept, ['/peers/bafzpeer'])
  t.deepEqual(await datastore!.get(new Key('/dht/record/anything')), new Uint8Array([2]))
  t.true((ages?.maxAddressAge ?? 0) > 24 * 3_600_000, 'an address outlives a night offline')
})
