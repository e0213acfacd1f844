// Cheaters against the default verification on a real swarm (issue: verification that strangers
// cannot game): two contributors collude on the same wrong outputs, a rogue peer copies every
// answer it hears under its own key, and the publisher changes none of the defaults.
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import type { Peer } from '@p2pc/node'
import { peerIdOf } from '@p2pc/protocol'
import { workloadDir } from '../helpers/paths.ts'
import { alteringPool, jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { startRogue } from '../helpers/rogue.ts'

// 200 tasks: about 20 spot checks, each of which a colluder has a one-in-two chance to have answered.
const PARAMS = { upTo: 2_000_000, chunk: 10_000 }
const AGGREGATE = { count: 148_933 }

test('with the default verification, colluders and a copycat get no wrong or copied result accepted, and earn nothing', async (t) => {
  t.timeout(300_000)
  const publisher = await startPeer(t)
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS)
  const rogue = await startRogue(t, publisher, jobId)
  const copycatKey = (await rogue.freshKeys(1))[0]!
  const copycat = rogue.copyAnswers(jobId, copycatKey)

  // Both falsify their outputs the same way: together they make a quorum on every task they share.
  const lie = (output: unknown) => ({ count: (output as { count: number }).count + 1 })
  const colluders: Peer[] = []
  for (let i = 0; i < 2; i++) {
    colluders.push(
      await startPeer(
        t,
        { bootstrap: publisher.addresses(), contribute: true, threads: 1, trust: [publisher.peerId] },
        { pool: alteringPool(lie) },
      ),
    )
  }
  const honest = [await startContributor(t, publisher), await startContributor(t, publisher)]
  const reader = await startPeer(t, { bootstrap: publisher.addresses() })

  // What the colluders got validated before a spot check caught them runs again: the job ends
  // once both are caught and every task is settled again.
  const caught = (results: Awaited<ReturnType<Peer['results']>>, peer: Peer): boolean =>
    results.contributors.some((c) => c.peer === peer.peerId && c.caught)
  await waitFor(
    publisher,
    async () => {
      const results = await publisher.results(jobId)
      return (
        results.status === 'complete' &&
        isDeepStrictEqual(results.aggregate, AGGREGATE) &&
        colluders.every((peer) => caught(results, peer))
      )
    },
    180_000,
    'the job ends right, both colluders caught',
  )
  await jobComplete(reader, jobId)
  t.true(copycat.copies() > 0, 'the copycat copied what it heard')

  const copycatId = peerIdOf(copycatKey)
  for (const peer of [publisher, reader, ...honest]) {
    await waitFor(
      peer,
      async () => isDeepStrictEqual((await peer.results(jobId)).aggregate, AGGREGATE),
      60_000,
      `${peer.peerId.slice(-6)} holds the right aggregate`,
    )
    const results = await peer.results(jobId)
    t.like(results.verification, { mode: 'adaptive', answers: 'private', spotCheckRate: 0.1 })
    t.deepEqual(results.tasks, { total: 200, validated: 200, failed: 0, pending: 0 })
    const byPeer = new Map(results.contributors.map((c) => [c.peer, c]))
    for (const colluder of colluders) {
      t.like(byPeer.get(colluder.peerId), { validated: 0, credit: 0 }, `a colluder on ${peer.peerId}`)
    }
    t.is(byPeer.get(copycatId)?.validated ?? 0, 0, `the copycat on ${peer.peerId}`)
    t.is(byPeer.get(copycatId)?.credit ?? 0, 0)
    t.true(honest.every((h) => (byPeer.get(h.peerId)?.validated ?? 0) > 0))
  }
})
