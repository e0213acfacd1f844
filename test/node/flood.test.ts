import test from 'ava'
import { createPeer } from '@p2pc/node'
import { createStore } from '@p2pc/store'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'
import { FAST_TIMERS, jobComplete, startPeer, waitFor } from '../helpers/peers.ts'
import { startRogue } from '../helpers/rogue.ts'

const FLOOD = 2000
const BOUND = 50

test('a flood of announces from fresh keys leaves at most the bound of strangers’ jobs in the market and the store, and a trusted job completes meanwhile', async (t) => {
  const strangerJobs = { maxJobs: BOUND }
  const publisher = await startPeer(t, { strangerJobs })
  const dataDir = await temporaryDir(t)
  const init = {
    dataDir,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    ...FAST_TIMERS,
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
    strangerJobs,
  }
  const contributor = createPeer(init)
  await contributor.start()
  t.teardown(() => contributor.stop())
  await waitFor(contributor, () => contributor.connections().includes(publisher.peerId), 20_000, 'connected')
  const rogue = await startRogue(t, contributor)

  const jobId = await publisher.publish(
    workloadDir('primes'),
    { upTo: 300_000, chunk: 50_000 },
    { quorum: 1 },
  )
  const flood = rogue.floodAnnounces(FLOOD)
  await jobComplete(publisher, jobId)
  t.deepEqual((await publisher.results(jobId)).aggregate, { count: 25997 })
  // The publisher's seals settle the job for its contributor too, through the flood.
  await jobComplete(contributor, jobId)
  const junk = new Set(await flood)
  await waitFor(
    contributor,
    () => contributor.status().strangerJobs.forgotten > 0,
    60_000,
    'the contributor forgot strangers’ jobs',
  )

  for (const peer of [contributor, publisher]) {
    const kept = peer.jobs().filter((job) => junk.has(job.jobId))
    t.true(kept.length <= BOUND, `${kept.length} junk jobs kept`)
    t.true(peer.status().strangerJobs.kept <= BOUND)
    t.true(peer.jobs().some((job) => job.jobId === jobId && job.status === 'complete'))
  }
  // The flooder passed on far more than its share: most of it was dropped, and it lost score.
  const status = contributor.status()
  t.log(`kept ${status.strangerJobs.kept}, forgotten ${status.strangerJobs.forgotten} of ${FLOOD} announced`)
  t.log(`throttled ${status.gossip.throttled}, of which penalised ${status.gossip.penalised}`)
  t.true(status.gossip.throttled > 0)
  const flooder = rogue.host.peerId.toString()
  await waitFor(contributor, () => contributor.gossipScore(flooder) < 0, 20_000, 'the flooder pays')
  t.true(publisher.gossipScore(contributor.peerId) >= 0, 'the honest relay is not blamed')

  // The store holds no more than the market, and a restart brings back no forgotten job.
  await contributor.stop()
  const store = createStore({ dir: dataDir })
  await store.start()
  const stored = store.jobs()
  await store.stop()
  t.true(stored.filter((job) => junk.has(job.jobId)).length <= BOUND)
  t.true(stored.some((job) => job.jobId === jobId))
  const again = createPeer({ ...init, bootstrap: [] })
  await again.start()
  t.teardown(() => again.stop())
  t.true(again.jobs().filter((job) => junk.has(job.jobId)).length <= BOUND)
  t.is(again.jobs().find((job) => job.jobId === jobId)?.status, 'complete')
})

test('a job a reader asks about is followed: it outlives a flood whoever published it', async (t) => {
  const stranger = await startPeer(t)
  const reader = await startPeer(t, { bootstrap: stranger.addresses(), strangerJobs: { maxJobs: 5 } })
  await waitFor(reader, () => reader.connections().includes(stranger.peerId), 20_000, 'connected')
  const jobId = await stranger.publish(workloadDir('primes'), { upTo: 100_000, chunk: 50_000 }, { quorum: 1 })
  await waitFor(
    reader,
    () => reader.jobs().some((job) => job.jobId === jobId),
    20_000,
    'the reader heard of it',
  )
  t.is((await reader.results(jobId)).status, 'open')

  const rogue = await startRogue(t, reader)
  const junk = new Set(await rogue.floodAnnounces(50))
  await waitFor(reader, () => reader.status().strangerJobs.forgotten > 0, 60_000, 'strangers’ jobs forgotten')
  t.true(reader.jobs().filter((job) => junk.has(job.jobId)).length <= 5)
  t.true(reader.jobs().some((job) => job.jobId === jobId))
})
