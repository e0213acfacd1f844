import test from 'ava'
import { createTaskPool, type TaskPool } from '@p2pc/runtime'
import { fixtureWorkload } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'

test('taskResults lists every task in order: validated ones with their outputs, blobs included, and failed ones', async (t) => {
  const publisher = await startPeer(t)
  const bootstrap = publisher.addresses()
  const trust = [publisher.peerId]
  await startPeer(t, { bootstrap, contribute: true, threads: 1, trust, sandbox: false })
  await startPeer(
    t,
    { bootstrap, contribute: true, threads: 1, trust, sandbox: false },
    { pool: lyingAboutTaskZero() },
  )
  // Two contributors, two replicas each: task 0 gets one true and one false answer and fails.
  const jobId = await publisher.publish(
    fixtureWorkload('large-outputs'),
    { n: 4 },
    { quorum: 2, maxReplicas: 2 },
  )
  await jobComplete(publisher, jobId)

  const rows = await publisher.taskResults(jobId)
  const large = 'x'.repeat(40_000)
  t.deepEqual(rows, [
    { index: 0, status: 'failed' },
    { index: 1, status: 'validated', output: { i: 1, text: large } },
    { index: 2, status: 'validated', output: { i: 2, text: 'say "hi", then\nleave' } },
    { index: 3, status: 'validated', output: { i: 3, text: large } },
  ])
  await t.throwsAsync(publisher.taskResults('bafyunknown'), { name: 'UnknownJobError' })
})

/** A real pool whose output for task 0 is then falsified. */
function lyingAboutTaskZero(): TaskPool {
  const pool = createTaskPool({ threads: 1 })
  return {
    threads: pool.threads,
    start: () => pool.start(),
    stop: () => pool.stop(),
    run: async (task, options) => {
      const output = (await pool.run(task, options)) as { i: number; text: string }
      return output.i === 0 ? { ...output, text: 'a lie' } : output
    },
  }
}
