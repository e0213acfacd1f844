// Private answers on a real swarm (docs/ARCHITECTURE.md, "Copycats"): contributors box their
// answers for the publisher, a rogue peer copies every answer it hears under its own key the
// moment it hears it, and the job still completes right everywhere, the copycat unpaid.
import test from 'ava'
import type { Peer } from '@p2pc/node'
import { peerIdOf } from '@p2pc/protocol'
import { fixtureWorkload, workloadDir } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { startRogue } from '../helpers/rogue.ts'
import { withoutVerified } from '../helpers/task-rows.ts'

const PARAMS = { upTo: 300_000, chunk: 100_000 }
/** The primes below 300,000. */
const AGGREGATE = { count: 25_997 }

test('a copycat that repeats every boxed answer it hears earns nothing, and every peer reads the right aggregate', async (t) => {
  const publisher = await startPeer(t)
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 2, answers: 'private' })
  const rogue = await startRogue(t, publisher, jobId)
  const copycatKey = (await rogue.freshKeys(1))[0]!
  const copycat = rogue.copyAnswers(jobId, copycatKey)

  const contributors: Peer[] = []
  for (let i = 0; i < 2; i++) contributors.push(await startContributor(t, publisher))
  const reader = await startPeer(t, { bootstrap: publisher.addresses() })
  await jobComplete(publisher, jobId)
  for (const peer of [...contributors, reader]) await jobComplete(peer, jobId)

  // What went over the wire before the seals: commitments and boxes, no output to copy.
  const honestIds = contributors.map((c) => c.peerId)
  const heard = honestIds.flatMap((id) => copycat.heard.get(id) ?? [])
  t.true(heard.length >= 3, `the copycat heard the honest answers (${heard.length})`)
  for (const answer of heard) {
    t.is(typeof answer.box, 'string')
    t.is(answer.output, undefined)
    t.is(answer.outputCid, undefined)
  }
  t.true(copycat.copies() >= heard.length, 'it sent a copy of each')

  const copycatId = peerIdOf(copycatKey)
  for (const peer of [publisher, ...contributors, reader]) {
    // A spot check travels in the open and can settle a task for a reader before the seal that
    // opens its answers has come: wait for the openings.
    const honestValid = async () => {
      const byPeer = new Map((await peer.results(jobId)).contributors.map((c) => [c.peer, c.validated]))
      return honestIds.reduce((sum, id) => sum + (byPeer.get(id) ?? 0), 0)
    }
    await waitFor(
      peer,
      async () => (await honestValid()) === 6,
      30_000,
      `the openings reached ${peer.peerId}`,
    )
    const results = await peer.results(jobId)
    t.deepEqual(results.aggregate, AGGREGATE, `aggregate on ${peer.peerId}`)
    t.deepEqual(results.tasks, { total: 3, validated: 3, failed: 0, pending: 0 })
    const byPeer = new Map(results.contributors.map((c) => [c.peer, c]))
    t.is(
      honestIds.reduce((sum, id) => sum + (byPeer.get(id)?.validated ?? 0), 0),
      6,
      'the honest answers count, opened by the seals',
    )
    const copier = byPeer.get(copycatId)
    t.is(copier?.validated ?? 0, 0, `the copycat validated nothing on ${peer.peerId}`)
    t.is(copier?.credit ?? 0, 0)
  }
})

test('the control: where answers are public, the same copycat is the third vote of a quorum of three, and is paid', async (t) => {
  const publisher = await startPeer(t)
  const options = { quorum: 3, verification: 'strict', answers: 'public' } as const
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, options)
  const rogue = await startRogue(t, publisher, jobId)
  const copycatKey = (await rogue.freshKeys(1))[0]!
  rogue.copyAnswers(jobId, copycatKey)
  for (let i = 0; i < 2; i++) await startContributor(t, publisher)
  await jobComplete(publisher, jobId)
  const results = await publisher.results(jobId)
  t.deepEqual(results.aggregate, AGGREGATE)
  const copier = results.contributors.find((c) => c.peer === peerIdOf(copycatKey))
  t.is(copier?.validated, 3, 'two honest contributors and its copies make every quorum of three')
  t.true((copier?.credit ?? 0) > 0)
})

test('a private answer carries a large output inline, which readers get from the seal; one over the bound fails its task everywhere, saying why', async (t) => {
  const publisher = await startPeer(t)
  for (let i = 0; i < 2; i++) await startContributor(t, publisher)
  const reader = await startPeer(t, { bootstrap: publisher.addresses() })
  const options = { quorum: 2, maxReplicas: 2, answers: 'private' } as const

  // 40,000 characters: by CID in a public job, inline in the box and in the seal here.
  const large = await publisher.publish(fixtureWorkload('large-outputs'), { n: 2, bytes: 40_000 }, options)
  await jobComplete(publisher, large)
  await jobComplete(reader, large)
  t.deepEqual(withoutVerified(await reader.taskResults(large)), [
    { index: 0, status: 'validated', output: { i: 0, text: 'say "hi", then\nleave' } },
    { index: 1, status: 'validated', output: { i: 1, text: 'x'.repeat(40_000) } },
  ])

  const huge = await publisher.publish(fixtureWorkload('large-outputs'), { n: 2, bytes: 200_000 }, options)
  await jobComplete(publisher, huge)
  await jobComplete(reader, huge)
  for (const peer of [publisher, reader]) {
    const results = await peer.results(huge)
    t.deepEqual(results.tasks, { total: 2, validated: 1, failed: 1, pending: 0 })
    t.is(results.failures[0]?.index, 1)
    t.regex(
      results.failures[0]?.errors[0] ?? '',
      /^the output is \d+ bytes, more than the 98304 a job with private answers carries: publish it with public answers$/,
    )
  }
})
