import test from 'ava'
import type { Peer } from '@p2pc/node'
import { runLocal } from '@p2pc/runtime'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'

const PARAMS = { upTo: 2_000_000, chunk: 100_000 }

test('a publisher and three contributors, quorum 2: the aggregate equals run-local', async (t) => {
  const publisher = await startPeer(t)
  const bootstrap = publisher.addresses()
  const contributors: Peer[] = []
  for (let i = 0; i < 3; i++) {
    contributors.push(
      await startPeer(t, { bootstrap, contribute: true, threads: 1, trust: [publisher.peerId] }),
    )
  }
  // The swarm is a mesh: contributors find each other beyond the bootstrap peer.
  await waitFor(contributors[0]!, () => contributors[0]!.connections().length >= 3, 20_000)

  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 2 })
  await jobComplete(publisher, jobId)
  const results = await publisher.results(jobId)
  const local = await runLocal(workloadDir('primes'), { params: PARAMS, cacheDir: await temporaryDir(t) })
  t.deepEqual(results.aggregate, local.aggregate)
  t.deepEqual(results.aggregate, { count: 148933 })
  t.deepEqual(results.tasks, { total: 20, validated: 20, failed: 0, pending: 0 })
  t.is(results.status, 'complete')
  // The publisher's own answers are its spot checks, made once each task had settled.
  const credited = results.contributors.filter((c) => c.validated > 0 && c.peer !== publisher.peerId)
  t.true(credited.length >= 2, 'the work was shared')
  const checks = results.contributors.find((c) => c.peer === publisher.peerId)?.validated ?? 0
  t.true(checks <= results.verification.checksMade, 'the publisher answered only its spot checks')
  // Two agreeing results per task, or one from a contributor its passed checks made credible (the
  // default verification is adaptive); races may add a third replica, never a wrong one.
  const validatedResults = credited.reduce((sum, c) => sum + c.validated, 0)
  t.true(validatedResults >= 20 && validatedResults <= 60, `${validatedResults} validated results`)
  t.true(results.contributors.every((c) => c.invalid === 0))
  // Gossip traffic: the publisher sent the job, and heard at least the answers of every credited contributor.
  const { gossip } = publisher.status()
  t.true(gossip.sentBytes > 0)
  const heard = contributors.filter((c) => c.status().gossip.receivedBytes > 0)
  t.is(heard.length, 3, 'every contributor heard the job on gossip')
  const sentByCredited = credited.map(
    (c) => contributors.find((p) => p.peerId === c.peer)!.status().gossip.sentBytes,
  )
  t.true(sentByCredited.every((bytes) => bytes > 0))
  t.true(gossip.receivedBytes > 0)
})

test("results lists a job's contributors with that job's counts and credit alone", async (t) => {
  const publisher = await startPeer(t)
  const contributor = await startContributor(t, publisher)
  const small = await publisher.publish(
    workloadDir('primes'),
    { upTo: 200_000, chunk: 100_000 },
    { quorum: 1 },
  )
  const large = await publisher.publish(
    workloadDir('primes'),
    { upTo: 500_000, chunk: 100_000 },
    { quorum: 1 },
  )
  await jobComplete(publisher, small)
  await jobComplete(publisher, large)
  for (const [jobId, tasks] of [
    [small, 2],
    [large, 5],
  ] as const) {
    const { contributors } = await publisher.results(jobId)
    t.deepEqual(
      contributors.map((c) => [c.peer, c.validated, c.invalid]),
      [[contributor.peerId, tasks, 0]],
    )
  }
})
