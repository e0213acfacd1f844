// A contributor whose data dir's disk fills up while it runs tasks: it holds its work, says why,
// and goes on by itself once there is space again. The real binary, on a small tmpfs.
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import test, { type ExecutionContext } from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'
import { smallDisk, smallDiskUnavailable } from '../helpers/small-disk.ts'

const TASKS = 6
const FULL =
  /^the disk of .+ is full: (database or disk is full \(SQLITE_FULL\)|ENOSPC: no space left on device)/

async function fillsUp(t: ExecutionContext): Promise<void> {
  t.timeout(120_000)
  const publisher = await startPeer(t)
  const disk = await smallDisk(t, 4096)
  const dataDir = join(disk.dir, 'p2pc')
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  const events: Array<Record<string, unknown>> = []
  const until =
    (...names: string[]) =>
    (event: Record<string, unknown>): boolean =>
      events.push(event) > 0 && names.includes(String(event.event))
  const status = async (): Promise<{ paused?: string; diskFull?: string; online: boolean }> => {
    const run = await p2pc(['status', '--json', '--data-dir', dataDir])
    t.is(run.code, 0, run.stderr)
    return JSON.parse(run.stdout) as never
  }
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: TASKS, ms: 1000 },
    { quorum: 1, maxReplicas: 1 },
  )
  // Its job and bundle are kept by now; its first answer will not be.
  await worker.waitForLine(until('task started'))
  await disk.fill()

  // Before the fix, the answers failed here with 'cannot rollback - no transaction is active'.
  await worker.waitForLine(until('disk full', 'task failed'))
  const full = events.at(-1)!
  t.is(full.event, 'disk full', JSON.stringify(full))
  t.regex(String(full.error), FULL)
  t.log(`logged: disk full ${String(full.error)}`)
  const held = await status()
  t.like(held, { paused: 'disk-full', online: true })
  t.regex(held.diskFull!, FULL)
  // The disk stays full for a few retries: nothing is given up meanwhile.
  await sleep(3000)
  t.like(await status(), { paused: 'disk-full' })
  t.not(publisher.jobs()[0]?.status, 'complete')

  await disk.free()
  await worker.waitForLine(until('disk has space again'))
  await jobComplete(publisher, jobId, 60_000)
  const results = await publisher.results(jobId)
  t.is(results.aggregate, TASKS)
  t.like(results.contributors, [{ peer: worker.peerId, validated: TASKS }])
  t.is(worker.child.exitCode, null, 'the same contributor process, never restarted')
  const after = await status()
  t.is(after.paused, undefined)
  t.is(after.diskFull, undefined)
  t.deepEqual(
    events.filter((event) => event.event === 'task failed'),
    [],
    'no task failed for the full disk',
  )
  t.false(JSON.stringify(events).includes('rollback'))
}

const title =
  'a contributor on a full disk holds its work, says the disk is full, and finishes the job once there is space'
if (smallDiskUnavailable === undefined) test(title, fillsUp)
else test.skip(`${title} (skipped: ${smallDiskUnavailable})`, fillsUp)
