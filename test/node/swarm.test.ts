import test, { type ExecutionContext } from 'ava'
import { createPeer } from '@p2pc/node'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'
import {
  alteringPool,
  FAST_TIMERS,
  jobComplete,
  startContributor,
  startPeer,
  waitFor,
} from '../helpers/peers.ts'

const PARAMS = { upTo: 1_000_000, chunk: 100_000 }
const PRIMES_BELOW_1E6 = 78498

test('a contributor that joins after the announcement gets the job through sync and works on it', async (t) => {
  const publisher = await startPeer(t)
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 1 })
  const late = await startContributor(t, publisher)
  await jobComplete(publisher, jobId)
  const results = await publisher.results(jobId)
  t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
  t.deepEqual(
    results.contributors.map((c) => [c.peer, c.validated]),
    [[late.peerId, 10]],
  )
})

/**
 * A publisher started by hand (a test stops it and starts it again on its data dir, `options`),
 * and two contributors that trust it, the second reaching it through the first.
 */
async function publisherAndTwoContributors(t: ExecutionContext) {
  const dataDir = await temporaryDir(t)
  const options = { dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, ...FAST_TIMERS }
  const publisher = createPeer(options)
  await publisher.start()
  const trust = [publisher.peerId]
  const first = await startPeer(t, { bootstrap: publisher.addresses(), contribute: true, threads: 1, trust })
  const second = await startPeer(t, { bootstrap: first.addresses(), contribute: true, threads: 1, trust })
  await waitFor(second, () => second.connections().includes(first.peerId), 20_000, 'connected')
  return { options, publisher, first, second }
}

test('the publisher leaves after announcing, and on its return syncs the complete job', async (t) => {
  const { options, publisher, first, second } = await publisherAndTwoContributors(t)

  const workStarted = new Promise((resolve) => first.addEventListener('task', resolve, { once: true }))
  // A job that needs nobody online but its contributors: the plain vote, in the open.
  const plainVote = { quorum: 2, verification: 'strict', answers: 'public' } as const
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, plainVote)
  // The publisher leaves as soon as both contributors know the job and one has its bundle.
  await waitFor(
    first,
    () => first.jobs().some((job) => job.jobId === jobId && job.tasks.total === 10),
    20_000,
    'first knows',
  )
  await waitFor(
    second,
    () => second.jobs().some((job) => job.jobId === jobId && job.tasks.total === 10),
    20_000,
    'second knows',
  )
  await workStarted
  await publisher.stop()

  await jobComplete(first, jobId)
  await jobComplete(second, jobId)
  const back = createPeer({ ...options, bootstrap: [first.addresses()[0]!] })
  await back.start()
  t.teardown(() => back.stop())
  await jobComplete(back, jobId)
  const results = await back.results(jobId)
  t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
  t.is(results.tasks.validated, 10)
  t.deepEqual(results.contributors.map((c) => c.peer).sort(), [first.peerId, second.peerId].sort())
})

test('a job published with the defaults waits for its publisher: answered while it is away, settled on its return', async (t) => {
  const { options, publisher, first, second } = await publisherAndTwoContributors(t)

  const started = [first, second].map(
    (peer) => new Promise((resolve) => peer.addEventListener('task', resolve, { once: true })),
  )
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS)
  // The publisher leaves once both contributors have its bundle and work on the job.
  await Promise.all(started)
  await publisher.stop()
  // Each contributor answers every task (quorum 2, private answers): nobody but the publisher
  // can open them, so nothing settles meanwhile.
  for (const peer of [first, second]) {
    await waitFor(peer, () => peer.status().done === 10 && peer.status().held === 0, 60_000, 'all answered')
  }
  for (const peer of [first, second]) {
    t.like(peer.jobs().find((job) => job.jobId === jobId)?.tasks, { validated: 0, pending: 10 })
  }

  const back = createPeer({ ...options, bootstrap: [first.addresses()[0]!] })
  await back.start()
  t.teardown(() => back.stop())
  for (const peer of [back, first, second]) {
    await jobComplete(peer, jobId)
    const results = await peer.results(jobId)
    t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
    t.like(results.verification, { mode: 'adaptive', answers: 'private' })
  }
})

test('a contributor returning wrong outputs is outvoted, its results count as invalid, and it earns nothing', async (t) => {
  const publisher = await startPeer(t)
  const bootstrap = publisher.addresses()
  const trust = [publisher.peerId]
  const liar = await startPeer(
    t,
    { bootstrap, contribute: true, threads: 1, trust },
    {
      // Its outputs are falsified: the misbehaving peer of the test.
      pool: alteringPool((output) => ({ count: (output as { count: number }).count + 1 })),
    },
  )
  // The liar answers first, so that it surely has answers to be judged on.
  let answered = 0
  liar.addEventListener('task', (event) => {
    if ((event as CustomEvent<{ state: string }>).detail.state === 'done') answered++
  })
  // The plain vote: the liar loses on votes alone (spot checks catch it in default jobs).
  const plainVote = { quorum: 2, maxReplicas: 4, verification: 'strict', answers: 'public' } as const
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, plainVote)
  await waitFor(liar, () => answered > 0, 60_000, 'the liar answered a task')
  await startPeer(t, { bootstrap, contribute: true, threads: 1, trust })
  await startPeer(t, { bootstrap, contribute: true, threads: 1, trust })
  await jobComplete(publisher, jobId)
  // Its answers reach the publisher a moment after they are sent.
  await waitFor(
    publisher,
    async () => (await publisher.results(jobId)).contributors.some((c) => c.peer === liar.peerId),
    30_000,
    'the publisher judged the liar',
  )
  const results = await publisher.results(jobId)
  t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
  t.is(results.tasks.validated, 10)
  const liarStats = results.contributors.find((c) => c.peer === liar.peerId)
  t.truthy(liarStats, 'the liar did answer tasks')
  t.is(liarStats?.validated, 0)
  t.true((liarStats?.invalid ?? 0) > 0)
  t.is(liarStats?.credit, 0)
})

test('a contributor stopped in the middle of a task: its lease expires, others take the task, the job completes', async (t) => {
  const publisher = await startPeer(t)
  const bootstrap = publisher.addresses()
  const trust = [publisher.peerId]
  const doomed = await startPeer(t, { bootstrap, contribute: true, threads: 1, trust })
  const rescuer = await startPeer(t, { bootstrap, contribute: true, threads: 1, trust })
  await waitFor(rescuer, () => rescuer.connections().includes(doomed.peerId), 20_000, 'mesh')
  const doomedClaimed = new Promise<void>((resolve) =>
    doomed.addEventListener('task', (event) => {
      if ((event as CustomEvent<{ state: string }>).detail.state === 'started') resolve()
    }),
  )
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 1, leaseMs: 2000 })
  await doomedClaimed
  await doomed.stop()
  await jobComplete(publisher, jobId)
  const results = await publisher.results(jobId)
  t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
  // The doomed peer answered nothing, so the rescuer did every task, those it had claimed too
  // (the publisher's own answers are its spot checks).
  t.deepEqual(
    results.contributors.filter((c) => c.peer !== publisher.peerId).map((c) => [c.peer, c.validated]),
    [[rescuer.peerId, 10]],
  )
})

test('a peer stopped and started again from its data dir keeps every envelope it had', async (t) => {
  const dataDir = await temporaryDir(t)
  const options = { dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, ...FAST_TIMERS }
  const publisher = await startPeer(t)
  const contributor = createPeer({
    ...options,
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
  })
  await contributor.start()
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 1 })
  await jobComplete(contributor, jobId)
  const before = contributor.jobs()
  await contributor.stop()
  await publisher.stop()

  const again = createPeer(options)
  await again.start()
  t.teardown(() => again.stop())
  t.deepEqual(again.jobs(), before)
  t.deepEqual((await again.results(jobId)).aggregate, { count: PRIMES_BELOW_1E6 })
})

test('a peer that comes back on its old address is found again', async (t) => {
  const dataDir = await temporaryDir(t)
  const first = createPeer({ dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, ...FAST_TIMERS })
  await first.start()
  const address = first.addresses()[0]!
  const port = /\/tcp\/(\d+)/.exec(address)![1]!
  const contributor = await startPeer(t, { bootstrap: [address] })
  await waitFor(contributor, () => contributor.connections().includes(first.peerId), 20_000, 'connected')
  await first.stop()
  await waitFor(contributor, () => !contributor.connections().includes(first.peerId), 20_000, 'dropped')

  const back = createPeer({ dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`], mdns: false, ...FAST_TIMERS })
  await back.start()
  t.teardown(() => back.stop())
  t.is(back.peerId, first.peerId, 'the same identity, from the same data dir')
  await waitFor(contributor, () => contributor.connections().includes(back.peerId), 20_000, 'found again')
  t.true(contributor.connections().includes(back.peerId))
})
