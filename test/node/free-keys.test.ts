// Free keys against a real swarm: a rogue host signs with fresh identities, with no claim and no
// work, to fail a job before anyone has answered, then to overturn it once it is complete.
import test from 'ava'
import type { Peer } from '@p2pc/node'
import { peerIdOf } from '@p2pc/protocol'
import { workloadDir } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { startRogue } from '../helpers/rogue.ts'

const PARAMS = { upTo: 300_000, chunk: 100_000 }
const TASKS = [0, 1, 2]
/** The primes below 300,000. */
const AGGREGATE = { count: 25_997 }

/**
 * Resolves once `peer` has heard from every one of `signers` and holds the aggregate: with the
 * publisher's seals, which may reach a peer after the free keys' answers, that is where it ends.
 */
function settledAfter(peer: Peer, jobId: string, signers: string[]): Promise<void> {
  return waitFor(
    peer,
    async () => {
      const results = await peer.results(jobId)
      const listed = new Set(results.contributors.map((c) => c.peer))
      return (
        signers.every((s) => listed.has(s)) &&
        (results.aggregate as { count?: number } | null)?.count === AGGREGATE.count
      )
    },
    30_000,
    `${peer.peerId.slice(-6)} heard every free key and holds the right aggregate`,
  )
}

test('free keys can neither fail a job nor overturn it, and earn nothing; a null output breaks nothing', async (t) => {
  const publisher = await startPeer(t)
  // The plain vote with answers in the open: what free keys can do where nothing else stops them.
  const plainVote = { quorum: 2, verification: 'strict', answers: 'public' } as const
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, plainVote)
  const rogue = await startRogue(t, publisher, jobId)

  // Before anyone honest answers: five fresh keys, five different outputs for every task.
  const failKeys = await rogue.freshKeys(5)
  let heard = 0
  const count = (): void => void heard++
  publisher.addEventListener('progress', count)
  await rogue.answer(jobId, failKeys, TASKS, (task, k) => ({ count: 1000 * k + task }))
  await waitFor(publisher, () => heard >= failKeys.length, 30_000, 'the five answers reached the publisher')
  publisher.removeEventListener('progress', count)
  t.like(publisher.jobs()[0]!.tasks, { failed: 0, validated: 0, pending: 3 })

  // Honest contributors come; the job completes right, the five keys are blocked and unpaid.
  const contributors = []
  for (let i = 0; i < 2; i++) {
    contributors.push(await startContributor(t, publisher))
  }
  await jobComplete(publisher, jobId)
  const done = await publisher.results(jobId)
  t.deepEqual(done.tasks, { total: 3, validated: 3, failed: 0, pending: 0 })
  t.deepEqual(done.aggregate, AGGREGATE)
  for (const peer of contributors) await jobComplete(peer, jobId)

  // After it is complete: three keys agree on a wrong answer, two answer null (the schema wants an object).
  const overrideKeys = await rogue.freshKeys(3)
  const nullKeys = await rogue.freshKeys(2)
  await rogue.answer(jobId, overrideKeys, TASKS, () => ({ count: 0 }))
  await rogue.answer(jobId, nullKeys, TASKS, () => null)
  const freeIds = [...failKeys, ...overrideKeys, ...nullKeys].map(peerIdOf)
  const honestIds = contributors.map((c) => c.peerId)
  for (const peer of [publisher, ...contributors]) {
    await settledAfter(peer, jobId, freeIds)
    const results = await peer.results(jobId)
    t.deepEqual(results.aggregate, AGGREGATE, `aggregate on ${peer.peerId}`)
    t.is(results.status, 'complete')
    t.deepEqual(results.tasks, { total: 3, validated: 3, failed: 0, pending: 0 })
    const byPeer = new Map(results.contributors.map((c) => [c.peer, c]))
    for (const id of honestIds) t.like(byPeer.get(id), { invalid: 0 })
    t.is(
      honestIds.reduce((sum, id) => sum + (byPeer.get(id)?.validated ?? 0), 0),
      6,
    )
    for (const id of freeIds) t.like(byPeer.get(id), { validated: 0, credit: 0 })
    const rows = await peer.taskResults(jobId)
    t.deepEqual(
      rows.map((r) => r.status),
      ['validated', 'validated', 'validated'],
    )
  }
})
