import test from 'ava'
import { createPeer } from '@p2pc/node'
import { temporaryDir } from '../helpers/paths.ts'

test('a peer that cannot listen fails with one line naming the address, and lets go of its data dir', async (t) => {
  const dataDir = await temporaryDir(t)
  const peer = createPeer({ dataDir, listen: ['/ip4/127.0.0.1/udp/4001'], mdns: false })
  const error = await t.throwsAsync(peer.start(), { name: 'ListenError' })
  t.is(
    error?.message,
    'cannot listen on /ip4/127.0.0.1/udp/4001 (No transport was configured to listen on this address)',
  )
  // The store and the control socket were released: another peer goes online on the same data dir.
  const again = createPeer({ dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
  await again.start()
  t.teardown(() => again.stop())
  t.true(again.addresses().length > 0)
})
