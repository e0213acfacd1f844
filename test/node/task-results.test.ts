import test from 'ava'
import { fixtureWorkload } from '../helpers/paths.ts'
import { alteringPool, jobComplete, startContributor, startPeer } from '../helpers/peers.ts'
import { withoutVerified } from '../helpers/task-rows.ts'

test('taskResults lists every task in order: validated ones with their outputs, blobs included, and failed ones', async (t) => {
  const publisher = await startPeer(t)
  const bootstrap = publisher.addresses()
  const trust = [publisher.peerId]
  await startPeer(t, { bootstrap, contribute: true, threads: 1, trust, sandbox: false })
  await startPeer(
    t,
    { bootstrap, contribute: true, threads: 1, trust, sandbox: false },
    {
      // Its output for task 0 is falsified.
      pool: alteringPool((output) => {
        const answer = output as { i: number; text: string }
        return answer.i === 0 ? { ...answer, text: 'a lie' } : answer
      }),
    },
  )
  // Two contributors, two replicas each: task 0 gets one true and one false answer and fails.
  const jobId = await publisher.publish(
    fixtureWorkload('large-outputs'),
    { n: 4 },
    { quorum: 2, maxReplicas: 2 },
  )
  await jobComplete(publisher, jobId)

  const rows = withoutVerified(await publisher.taskResults(jobId))
  const large = 'x'.repeat(40_000)
  t.deepEqual(rows, [
    { index: 0, status: 'failed' },
    { index: 1, status: 'validated', output: { i: 1, text: large } },
    { index: 2, status: 'validated', output: { i: 2, text: 'say "hi", then\nleave' } },
    { index: 3, status: 'validated', output: { i: 3, text: large } },
  ])
  await t.throwsAsync(publisher.taskResults('bafyunknown'), { name: 'UnknownJobError' })
})

test('a validated null output is read as null, never looked for as a blob', async (t) => {
  const publisher = await startPeer(t)
  const contributor = await startContributor(t, publisher)
  const jobId = await publisher.publish(fixtureWorkload('returns-null'), undefined, { quorum: 1 })
  await jobComplete(publisher, jobId)
  await jobComplete(contributor, jobId)
  for (const peer of [publisher, contributor]) {
    t.deepEqual(withoutVerified(await peer.taskResults(jobId)), [
      { index: 0, status: 'validated', output: null },
      { index: 1, status: 'validated', output: 1 },
    ])
    t.deepEqual((await peer.results(jobId)).aggregate, [null, 1])
  }
})
