import { join } from 'node:path'
import test from 'ava'
import { p2pc, runLocalAggregate } from '../helpers/cli.ts'
import { contributeArgs, freePort, spawnP2pc, startCliSwarm } from '../helpers/cli-process.ts'
import { parseCsv } from '../helpers/csv.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'

const PARAMS = '{"upTo": 2000000, "chunk": 100000}'
const EXPECTED = { count: 148933 }

async function swarm(t: Parameters<typeof temporaryDir>[0], contributors: number) {
  return startCliSwarm(t, await temporaryDir(t), contributors)
}

/** `p2pc publish workloads/primes --quorum 2 --json` through the peer running on `nodeDir`. */
function publishPrimes(nodeDir: string, extra: string[] = []): ReturnType<typeof p2pc> {
  return p2pc([
    'publish',
    workloadDir('primes'),
    '--params',
    PARAMS,
    '--quorum',
    '2',
    ...extra,
    '--data-dir',
    nodeDir,
    '--json',
  ])
}

test('a node, three contributors, publish and results --wait: the aggregate equals run-local', async (t) => {
  const { nodeDir } = await swarm(t, 3)
  const published = await publishPrimes(nodeDir)
  t.is(published.code, 0, published.stderr)
  const { jobId } = JSON.parse(published.stdout) as { jobId: string }
  const results = await p2pc(['results', jobId, '--wait', '--json', '--data-dir', nodeDir], {
    timeoutMs: 120_000,
  })
  t.is(results.code, 0, results.stderr)
  const printed = JSON.parse(results.stdout)
  t.deepEqual(Object.keys(printed), [
    'status',
    'tasks',
    'aggregate',
    'contributors',
    'failures',
    'verification',
  ])
  t.deepEqual(printed.aggregate, EXPECTED)
  t.deepEqual(printed.tasks, { total: 20, validated: 20, failed: 0, pending: 0 })
  // The defaults: adaptive verification with spot checks at 0.1, private answers; the node
  // checks some tasks itself and seals what it saw validated.
  t.like(printed.verification, { mode: 'adaptive', spotCheckRate: 0.1, answers: 'private' })
  const verified = printed.verification
  t.is(verified.quorum + verified.sealed + verified.checked + verified.single, 20)

  t.deepEqual(
    await runLocalAggregate(workloadDir('primes'), PARAMS, await temporaryDir(t)),
    printed.aggregate,
  )

  const jobs = JSON.parse((await p2pc(['jobs', '--json', '--data-dir', nodeDir])).stdout)
  t.deepEqual(
    jobs.map((job: { jobId: string; status: string }) => [job.jobId, job.status]),
    [[jobId, 'complete']],
  )

  const csv = await p2pc(['results', jobId, '--csv', '--data-dir', nodeDir])
  t.is(csv.code, 0, csv.stderr)
  assertPrimesCsv(t, csv.stdout)

  // The same swarm, a job the node spot-checks whole: the flags reach the running node's peer.
  const checked = await publishPrimes(nodeDir, ['--spot-checks', '1', '--target-error', '20%', '--wait'])
  t.is(checked.code, 0, checked.stderr)
  const verification = JSON.parse(checked.stdout).verification
  t.like(verification, { mode: 'adaptive', spotCheckRate: 1, checksDisagreed: 0 })
  // Checks are made once tasks settle: some may still be on their way when the job completes.
  const checkedJob = JSON.parse(checked.stdout).jobId as string
  let read = verification
  for (const until = Date.now() + 60_000; read.checksMade < 20 && Date.now() < until;) {
    read = JSON.parse(
      (await p2pc(['results', checkedJob, '--json', '--data-dir', nodeDir])).stdout,
    ).verification
  }
  t.is(read.checksMade, 20)
  // 20 checks and none that the answers alone got wrong: at most 1 − 0.05^(1/20) at 95 %.
  t.like(read, { checksWouldErr: 0, targetError: 0.2, targetMet: true })
  t.true(Math.abs(read.errorBound - 0.1391) < 1e-4, String(read.errorBound))
  const text = await p2pc(['results', checkedJob, '--data-dir', nodeDir])
  t.regex(text.stdout, /error rate at most 14% \(95%, 0 of 20 checks would have erred\), target 20% met/)

  // The plain vote in the open, as a publisher may still choose it.
  const plain = await publishPrimes(nodeDir, ['--verification', 'strict', '--answers', 'public', '--wait'])
  t.is(plain.code, 0, plain.stderr)
  const plainResults = JSON.parse(plain.stdout)
  t.deepEqual(plainResults.aggregate, EXPECTED)
  t.deepEqual(plainResults.tasks, { total: 20, validated: 20, failed: 0, pending: 0 })
  t.like(plainResults.verification, { answers: 'public', mode: 'strict', spotCheckRate: 0, checksMade: 0 })
})

test('one contributor killed with SIGKILL in the middle: the job still completes', async (t) => {
  const { nodeDir, workers } = await swarm(t, 3)
  const published = await publishPrimes(nodeDir, ['--lease', '3s'])
  const { jobId } = JSON.parse(published.stdout) as { jobId: string }
  await workers[0]!.waitForLine((event) => event.event === 'task started')
  workers[0]!.child.kill('SIGKILL')
  const [results, csv] = await Promise.all([
    p2pc(['results', jobId, '--wait', '--json', '--data-dir', nodeDir], { timeoutMs: 120_000 }),
    p2pc(['results', jobId, '--wait', '--csv', '--data-dir', nodeDir], { timeoutMs: 120_000 }),
  ])
  t.is(results.code, 0, results.stderr)
  t.deepEqual(JSON.parse(results.stdout).aggregate, EXPECTED)
  t.is(csv.code, 0, csv.stderr)
  assertPrimesCsv(t, csv.stdout)
})

test('publish --wait with no running peer works on its own with contributors that bootstrap to it', async (t) => {
  const root = await temporaryDir(t)
  const publisherDir = join(root, 'publisher')
  const id = await p2pc(['id', '--json', '--data-dir', publisherDir])
  const { peerId } = JSON.parse(id.stdout) as { peerId: string }
  const port = await freePort()
  const bootstrap = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`
  for (let i = 0; i < 2; i++) {
    await spawnP2pc(t, contributeArgs(join(root, `c${i}`), bootstrap, peerId))
  }
  const published = await p2pc(
    [
      'publish',
      workloadDir('primes'),
      '--params',
      PARAMS,
      '--wait',
      '--json',
      '--data-dir',
      publisherDir,
      '--listen',
      `/ip4/127.0.0.1/tcp/${port}`,
      '--no-mdns',
    ],
    { timeoutMs: 120_000 },
  )
  t.is(published.code, 0, published.stderr)
  const printed = JSON.parse(published.stdout)
  t.deepEqual(printed.aggregate, EXPECTED)
  t.is(printed.status, 'complete')
})

/** `results --csv` of the primes job: twenty validated rows whose counts add up to the aggregate. */
function assertPrimesCsv(t: Parameters<typeof temporaryDir>[0], csv: string): void {
  const [header, ...rows] = parseCsv(csv)
  t.deepEqual(header, ['index', 'status', 'output', 'verified'])
  t.deepEqual(
    rows.map(([index, status]) => [index, status]),
    Array.from({ length: 20 }, (_, i) => [String(i), 'validated']),
  )
  t.true(rows.every(([, , , verified]) => ['quorum', 'checked', 'single', 'sealed'].includes(verified!)))
  const counts = rows.map(([, , output]) => (JSON.parse(output!) as { count: number }).count)
  t.is(
    counts.reduce((sum, count) => sum + count, 0),
    EXPECTED.count,
  )
}
