import test from 'ava'
import type { Peer } from '@p2pc/node'
import { freePort } from '../helpers/cli-process.ts'
import { temporaryDir } from '../helpers/paths.ts'
import { startPeer, waitFor } from '../helpers/peers.ts'

const connectedTo = (peer: Peer, other: Peer): Promise<void> =>
  waitFor(peer, () => peer.connections().includes(other.peerId), 30_000, `connected to ${other.peerId}`)

test('a peer restarted with no bootstrap dials the peers it met, from its address book', async (t) => {
  const first = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const second = await startPeer(t, { dataDir, bootstrap: first.addresses() })
  await connectedTo(second, first)
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
  await connectedTo(second, first)
  await second.stop()
  await first.stop()

  // libp2p dials the remembered peers once at start, in vain here; the peer's redial goes on.
  const again = await startPeer(t, { dataDir: secondDir })
  const back = await startPeer(t, { dataDir: firstDir, listen })
  await connectedTo(again, back)
  t.pass()
})
