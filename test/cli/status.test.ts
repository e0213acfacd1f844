// `p2pc status` of a real one-thread contributor: the tasks it runs (not those it holds in its
// pool's queue), each with its progress and the time it may still take.
import { once } from 'node:events'
import test from 'ava'
import type { PeerStatus } from '@p2pc/node'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'

const TASK_LINE = /^ {2}task \d+ of job …\S+ {2}\d+s {2}\d+% {2}eta \d+s$/m

async function statusOf(dataDir: string, json: boolean): Promise<string> {
  const run = await p2pc(['status', '--data-dir', dataDir, ...(json ? ['--json'] : [])])
  if (run.code !== 0) throw new Error(`status failed: ${run.stderr}`)
  return run.stdout
}

test('one thread runs one task: status counts it alone, with its progress and an estimate', async (t) => {
  t.timeout(120_000)
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  // Twenty steps of a second: the contributor claims two tasks for its one thread, and runs one.
  // Long enough that a loaded machine, slow to answer each `p2pc status`, still sees it mid-way.
  await publisher.publish(
    fixtureWorkload('reports-progress'),
    { tasks: 2, steps: 20, ms: 1000 },
    { quorum: 1, maxReplicas: 1 },
  )
  await worker.waitForLine((event) => event.event === 'task started')

  let status: PeerStatus | undefined
  let queued = 0
  for (let asked = 0; asked < 20; asked++) {
    status = JSON.parse(await statusOf(dataDir, true)) as PeerStatus
    t.true(status.running <= 1, `one thread, ${status.running} running`)
    t.is(status.tasks.length, status.running)
    queued = Math.max(queued, status.queued)
    if ((status.tasks[0]?.progress ?? 0) > 0) break
  }
  t.is(status!.running, 1)
  t.true(queued >= 1, 'the second claimed task waits for the thread')
  const [running] = status!.tasks
  t.true(running!.progress! > 0 && running!.progress! < 1, `progress ${running!.progress}`)
  // At least 0: a loaded machine may answer long after the last report, and the estimate never goes below.
  t.true(running!.etaMs! >= 0 && running!.etaMs! < 60_000, `eta ${running!.etaMs} ms of a twenty-second task`)

  let text = ''
  for (let asked = 0; asked < 10 && !TASK_LINE.test(text); asked++) text = await statusOf(dataDir, false)
  t.regex(text, /^running: {3}1 tasks$/m)
  t.regex(text, TASK_LINE)
  t.is(text.match(/^ {2}task /gm)?.length, 1, text)
})

test('tasks done and failed are counted over restarts of the contributor', async (t) => {
  t.timeout(120_000)
  const dataDir = await temporaryDir(t)
  // Each run trusts its own publisher alone, so the second does not run the first's job again.
  const contribute = async (workload: string, params: unknown, done: number, failed: number) => {
    const publisher = await startPeer(t)
    const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
    await publisher.publish(fixtureWorkload(workload), params, { quorum: 1, maxReplicas: 1 })
    const ended = { done: 0, failed: 0 }
    await worker.waitForLine((event) => {
      if (event.event === 'task done') ended.done++
      if (event.event === 'task failed') ended.failed++
      return ended.done === done && ended.failed === failed
    })
    return worker
  }
  const stop = async (worker: Awaited<ReturnType<typeof spawnP2pc>>) => {
    const exited = once(worker.child, 'exit')
    worker.child.kill('SIGINT')
    await exited
  }
  // Of the three tasks of `throws`, the second fails.
  await stop(await contribute('throws', undefined, 2, 1))
  t.like(JSON.parse(await statusOf(dataDir, true)), { done: 2, failed: 1 }, 'read by a peer of its own')

  const again = await contribute('sleeps', { tasks: 2, ms: 50 }, 2, 0)
  t.like(JSON.parse(await statusOf(dataDir, true)), { done: 4, failed: 1 }, 'the running contributor')
  await stop(again)
  t.regex(await statusOf(dataDir, false), /^tasks: {5}4 done, 1 failed$/m)
})
