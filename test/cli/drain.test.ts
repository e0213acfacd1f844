// `p2pc contribute` stops politely: on its first SIGINT, or when `p2pc contribute --drain` asks,
// the task it runs finishes and the claims it has not started go back to the swarm at once.
import { once } from 'node:events'
import test, { type ExecutionContext } from 'ava'
import type { Peer } from '@p2pc/node'
import { STOPPED_AT_ONCE } from '../../src/lib/contribute-lifecycle.ts'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc, watchP2pc } from '../helpers/cli-process.ts'
import { scriptTool, terminalP2pc } from '../helpers/cli-terminal.ts'
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

/** A publisher with one long task for a contributor to be running when it is stopped. */
async function longTask(t: ExecutionContext): Promise<{ publisher: Peer; jobId: string }> {
  const publisher = await startPeer(t)
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: 1, ms: 120_000 },
    { quorum: 1, maxReplicas: 1, leaseMs: 10 * 60_000 },
  )
  return { publisher, jobId }
}

test('a second SIGINT while draining stops at once, in one line saying what is lost and kept, exit 130', async (t) => {
  const { publisher } = await longTask(t)
  const dataDir = await temporaryDir(t)
  const worker = watchP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  await worker.waitForStderr(/^task started /)
  const exited = once(worker.child, 'exit')
  worker.child.kill('SIGINT')
  await worker.waitForStderr(/^p2pc: draining: /)
  worker.child.kill('SIGINT')
  const [code] = (await exited) as [number | null]
  t.is(code, 130)
  const lines = worker.stderr().trimEnd().split('\n')
  t.is(lines.at(-1), `p2pc: ${STOPPED_AT_ONCE}`)
  t.regex(STOPPED_AT_ONCE, /^stopped without finishing: .*checkpoints are kept/)
})

;(scriptTool === undefined ? test.skip : test)(
  'on a terminal the status block keeps updating while draining, and says it drains',
  async (t) => {
    const { publisher, jobId } = await longTask(t)
    const dataDir = await temporaryDir(t)
    const worker = terminalP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
    await worker.waitFor(new RegExp(`task 0 of job …${jobId.slice(-10)}  \\d+s`))
    worker.type('\u0003')
    await worker.waitFor(/p2pc: draining: [^\r\n]+\r?\n/)
    // Two blocks drawn after the drain began, a second apart: the running task's time goes on.
    const block =
      /draining: 1 running task has \d+s left to finish; checkpoints are kept\r?\n[^\r\n]+\r?\n {2}task 0 of job \S+ {2}(\d+)s\r?\n/
    const first = await worker.waitFor(block, worker.screen().length)
    const second = await worker.waitFor(block, worker.screen().length)
    t.true(Number(second[1]) > Number(first[1]), `${first[1]}s, then ${second[1]}s`)
    worker.type('\u0003')
    t.is(await worker.exited, 130)
    t.true(worker.screen().trimEnd().endsWith(`p2pc: ${STOPPED_AT_ONCE}`), worker.screen().slice(-400))
  },
)
