import { once } from 'node:events'
import test from 'ava'
import { freePort } from '../helpers/cli-process.ts'
import { workloadDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'

const PARAMS = { upTo: 20_000, chunk: 1000 }
const PEER_ID = '12D3KooWEj5hRZbLjRLi5g8JvMZPYeETYfXyTJL5ovUj6GeVuHbk'

test('a peer that knows no one and does not look on the local network has no one to sync with, at once', async (t) => {
  const peer = await startPeer(t)
  const started = Date.now()
  t.is(await peer.firstSync({ timeoutMs: 30_000 }), 'alone')
  t.true(Date.now() - started < 1000)
})

test('a peer whose bootstrap peer never answers gives up its first sync after the timeout', async (t) => {
  const peer = await startPeer(t, { bootstrap: [`/ip4/127.0.0.1/tcp/${await freePort()}/p2p/${PEER_ID}`] })
  t.is(await peer.firstSync({ timeoutMs: 1500 }), 'unreached')
})

test("a reader's first sync pulls the publisher's job, and a job it follows from the start outlives the bounds on strangers' jobs", async (t) => {
  const publisher = await startPeer(t)
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS)
  const bootstrap = publisher.addresses().filter((address) => address.includes('/tcp/'))
  const noStrangers = { maxJobs: 0 }
  const [reader, forgetful] = await Promise.all([
    startPeer(t, { bootstrap, strangerJobs: noStrangers, follow: [jobId] }),
    startPeer(t, { bootstrap, strangerJobs: noStrangers }),
  ])
  t.is(await reader.firstSync({ timeoutMs: 30_000 }), 'synced')
  t.deepEqual(
    reader.jobs().map((job) => [job.jobId, job.publisher, job.tasks.total]),
    [[jobId, publisher.peerId, 20]],
  )
  // Sync goes on every syncMs, with each peer met: each session that ends is an event naming it.
  const [event] = (await once(reader, 'sync', { signal: AbortSignal.timeout(10_000) })) as [CustomEvent]
  const { peer, received } = event.detail as { peer: string; received: number }
  t.true([publisher.peerId, forgetful.peerId].includes(peer), peer)
  t.is(received, 0, 'it has it all already')
  t.is(await forgetful.firstSync({ timeoutMs: 30_000 }), 'synced')
  t.deepEqual(forgetful.jobs(), [], 'the bounds forget a job nobody follows')
})
