import { once } from 'node:events'
import test from 'ava'
import type { Peer } from '@p2pc/node'
import { freePort } from '../helpers/cli-process.ts'
import { temporaryDir } from '../helpers/paths.ts'
import { startPeer, waitFor } from '../helpers/peers.ts'

const connectedTo = (peer: Peer, other: Peer): Promise<void> =>
  waitFor(peer, () => peer.connections().includes(other.peerId), 30_000, `connected to ${other.peerId}`)

/**
 * Resolves once `peer` has synced with someone (here the one peer it joins): it syncs on
 * identify, when it also writes that peer into its address book, and stop waits for that write.
 * A connection alone can close before identify on a busy machine, and leave nothing to remember.
 */
async function metOnce(peer: Peer): Promise<void> {
  const outcome = await peer.firstSync({ timeoutMs: 30_000 })
  if (outcome !== 'synced') throw new Error(`no first sync: ${outcome}`)
}

/** Counts a peer's `lonely` events. */
function lonelyEvents(peer: Peer): { count: number } {
  const seen = { count: 0 }
  peer.addEventListener('lonely', () => seen.count++)
  return seen
}

test('a peer restarted with no bootstrap dials the peers it met, from its address book', async (t) => {
  const first = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const second = await startPeer(t, { dataDir, bootstrap: first.addresses() })
  await metOnce(second)
  await second.stop()

  // A new port: the first peer cannot dial it back, so only the second's memory brings them together.
  const again = await startPeer(t, { dataDir })
  await connectedTo(again, first)
  t.pass()
})

test('a peer whose known peers are away at its start finds them when they come back', async (t) => {
  const port = await freePort()
  const listen = [`/ip4/127.0.0.1/tcp/${port}`]
  const firstDir = await temporaryDir(t)
  const first = await startPeer(t, { dataDir: firstDir, listen })
  const secondDir = await temporaryDir(t)
  const second = await startPeer(t, { dataDir: secondDir, bootstrap: first.addresses() })
  await metOnce(second)
  await second.stop()
  await first.stop()

  // libp2p dials the remembered peers once at start, in vain here; the peer's redial goes on.
  const again = await startPeer(t, { dataDir: secondDir })
  const back = await startPeer(t, { dataDir: firstDir, listen })
  await connectedTo(again, back)
  t.pass()
})

test('a peer that knows no one says so once it has waited, and mentions whether it looked on mDNS', async (t) => {
  const peer = await startPeer(t, { lonelyMs: 100 })
  const [event] = (await once(peer, 'lonely')) as [CustomEvent<{ mdns: boolean }>]
  t.deepEqual(event.detail, { mdns: false })
})

test('a peer with a bootstrap peer, or one it met before, does not say it is alone, even unanswered', async (t) => {
  const gone = await startPeer(t)
  const rememberingDir = await temporaryDir(t)
  const remembering = await startPeer(t, { dataDir: rememberingDir, bootstrap: gone.addresses() })
  await metOnce(remembering)
  await remembering.stop()
  const goneAddresses = gone.addresses()
  await gone.stop()

  // Neither has a connection when its wait ends: only what it knows keeps it quiet.
  const withBootstrap = await startPeer(t, { bootstrap: goneAddresses, lonelyMs: 100 })
  const bootstrapped = lonelyEvents(withBootstrap)
  const fromMemory = await startPeer(t, { dataDir: rememberingDir, lonelyMs: 100 })
  const remembered = lonelyEvents(fromMemory)
  // Started last with the same wait, its timer fires after theirs: once it speaks, theirs have run.
  const alone = await startPeer(t, { lonelyMs: 100 })
  await once(alone, 'lonely')
  t.deepEqual(withBootstrap.connections(), [])
  t.deepEqual(fromMemory.connections(), [])
  t.is(bootstrapped.count, 0)
  t.is(remembered.count, 0)
})
