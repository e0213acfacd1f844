// `p2pc contribute` stops politely: on its first SIGINT, or when `p2pc contribute --drain` asks,
// the task it runs finishes and the claims it has not started go back to the swarm at once.
import { once } from 'node:events'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'

const TASKS = 6

const drains = test.macro(async (t, how: 'SIGINT' | '--drain') => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  // Ten-minute leases: only claims given back let the job end within the test.
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: TASKS, ms: 800 },
    { quorum: 1, maxReplicas: 1, leaseMs: 10 * 60_000 },
  )
  await worker.waitForLine((event) => event.event === 'task started')
  const exited = once(worker.child, 'exit')
  if (how === 'SIGINT') worker.child.kill('SIGINT')
  else {
    const asked = await p2pc(['contribute', '--drain', '--data-dir', dataDir, '--json'])
    t.is(asked.code, 0, asked.stderr)
    t.deepEqual(JSON.parse(asked.stdout), { drained: true })
  }
  const [code] = (await exited) as [number | null]
  t.is(code, 0, 'the contributor stopped on its own, cleanly')

  await startPeer(t, {
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 2,
    trust: [publisher.peerId],
  })
  await jobComplete(publisher, jobId, 60_000)
  const results = await publisher.results(jobId)
  t.is(results.aggregate, TASKS)
  const fromWorker = results.contributors.find((c) => c.peer === worker.peerId)?.validated ?? 0
  t.true(
    fromWorker >= 1 && fromWorker < TASKS,
    `the running task finished, the others went back (${fromWorker})`,
  )
})

test('the first SIGINT drains a contributor', drains, 'SIGINT')
test('contribute --drain drains the contributor running on the data dir', drains, '--drain')

test('contribute --drain with no peer on the data dir says so', async (t) => {
  const run = await p2pc(['contribute', '--drain', '--data-dir', await temporaryDir(t)])
  t.is(run.code, 1)
  t.regex(run.stderr, /^p2pc: no p2pc peer runs on the data dir .+\n$/)
})
