// `p2pc cancel`: the publisher's signed Cancel stops a job on a real swarm of `p2pc` processes.
import { join } from 'node:path'
import test from 'ava'
import type { PeerStatus } from '@p2pc/node'
import { p2pc, publishedJobId } from '../helpers/cli.ts'
import { startCliSwarm } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

/** `publish --wait` and `results` exit with this for a job its publisher cancelled. */
const CANCELLED_EXIT_CODE = 4

test('the publisher cancels a running job: the contributor stops its tasks, readers say so and exit 4; nobody else may', async (t) => {
  const root = await temporaryDir(t)
  const { nodeDir, workers } = await startCliSwarm(t, root, 1)
  const contributorDir = join(root, 'contributor-0')
  const jobId = await publishedJobId(fixtureWorkload('sleeps'), nodeDir, [
    '--params',
    '{"tasks": 4, "ms": 60000}',
    '--quorum',
    '1',
  ])
  const waiting = p2pc(['results', jobId, '--wait', '--data-dir', nodeDir], { timeoutMs: 120_000 })
  await workers[0]!.waitForLine((event) => event.event === 'task started')

  const stranger = await p2pc(['cancel', jobId, '--data-dir', contributorDir])
  t.is(stranger.code, 1)
  t.regex(stranger.stderr, /^p2pc: only its publisher 12D3\w+ can cancel the job bafy\w+\n$/)

  const cancelled = await p2pc(['cancel', jobId, '--data-dir', nodeDir, '--json'])
  t.is(cancelled.code, 0, cancelled.stderr)
  t.deepEqual(JSON.parse(cancelled.stdout), { jobId, cancelled: true })

  const ended = await waiting
  t.is(ended.code, CANCELLED_EXIT_CODE, ended.stderr)
  t.true(
    ended.stderr.includes(
      `p2pc: the job ${jobId} was cancelled by its publisher, with 0 of 4 tasks validated`,
    ),
  )

  // The minute-long task stops at once, and nothing else of the job is taken.
  await workers[0]!.waitForLine((event) => event.event === 'task failed')
  let status: PeerStatus | undefined
  for (let asked = 0; asked < 20; asked++) {
    status = JSON.parse((await p2pc(['status', '--json', '--data-dir', contributorDir])).stdout) as PeerStatus
    if (status.running === 0 && status.queued === 0) break
  }
  t.like(status, { running: 0, queued: 0 })

  for (const dir of [nodeDir, contributorDir]) {
    const jobs = JSON.parse((await p2pc(['jobs', '--json', '--data-dir', dir])).stdout) as Array<{
      jobId: string
      status: string
    }>
    t.deepEqual(
      jobs.map((job) => [job.jobId, job.status]),
      [[jobId, 'cancelled']],
      dir,
    )
  }
})

test('cancel of a job this peer does not know is one sentence and exit 1', async (t) => {
  const dataDir = await temporaryDir(t)
  const run = await p2pc([
    'cancel',
    'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq',
    '--data-dir',
    dataDir,
    '--no-mdns',
  ])
  t.is(run.code, 1)
  t.regex(run.stderr, /^p2pc: this peer knows no job bafyrei\w+\n$/)
})
