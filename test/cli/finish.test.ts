// `p2pc finish` and `p2pc contribute --no-new-tasks` on a running contributor: it answers the
// tasks it holds, then idles, online, claiming nothing, until `p2pc resume`.
import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import type { Peer } from '@p2pc/node'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'

// Enough that a loaded machine, slow to start `p2pc finish`, has not answered them all by then.
const TASKS = 20

async function statusOf(dataDir: string): Promise<{
  running: number
  queued: number
  held: number
  done: number
  controls: { finishing: boolean }
}> {
  const run = await p2pc(['status', '--data-dir', dataDir, '--json'])
  if (run.code !== 0) throw new Error(`p2pc status failed: ${run.stderr}`)
  return JSON.parse(run.stdout)
}

function validated(publisher: Peer, jobId: string): number {
  return publisher.jobs().find((job) => job.jobId === jobId)!.tasks.validated
}

const finishes = test.macro(async (t, command: string[]) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: TASKS, ms: 1500 },
    { quorum: 1, maxReplicas: 1 },
  )
  await worker.waitForLine((event) => event.event === 'task started')
  const asked = await p2pc([...command, '--data-dir', dataDir, '--json'])
  t.is(asked.code, 0, asked.stderr)
  t.like(JSON.parse(asked.stdout), { finishing: true })

  // The tasks it holds are answered; then it stays idle.
  const holds = async () => (await statusOf(dataDir)).held > 0
  for (const end = Date.now() + 30_000; await holds(); await sleep(200)) {
    if (Date.now() > end) t.fail('the contributor did not finish its tasks')
  }
  // The last answer may still be on its way (batched, then gossiped): wait until the publisher
  // has counted every task the contributor says it did.
  const { done } = await statusOf(dataDir)
  for (const end = Date.now() + 30_000; validated(publisher, jobId) < done; await sleep(200)) {
    if (Date.now() > end) t.fail(`the publisher did not receive the ${done} answers`)
  }
  const answered = validated(publisher, jobId)
  t.is(answered, done)
  // Nothing to wait for here but time: an idle contributor does nothing that could be waited on.
  await sleep(3000)
  const status = await statusOf(dataDir)
  t.like(status, { running: 0, queued: 0, held: 0 })
  t.is(status.done, done, 'the contributor ran no new task')
  t.true(status.controls.finishing)
  t.is(validated(publisher, jobId), answered, 'no new task was taken')
  t.true(answered >= 1 && answered < TASKS, `the held tasks were answered (${answered})`)
  t.is(worker.child.exitCode, null, 'the contributor stays up')

  const resumed = await p2pc(['resume', '--data-dir', dataDir, '--json'])
  t.is(resumed.code, 0, resumed.stderr)
  t.like(JSON.parse(resumed.stdout), { finishing: false })
  await jobComplete(publisher, jobId, 120_000)
})

test('finish: the contributor answers the tasks it holds, then idles until resume', finishes, ['finish'])
test('contribute --no-new-tasks does the same', finishes, ['contribute', '--no-new-tasks'])
