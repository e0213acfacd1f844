// One-shot readers on a fresh data dir: `results` and `jobs` sync with the swarm before they answer.
// Real processes, a swarm each: one test at a time, so that a loaded machine does not stretch their waits.
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { p2pc, runLocalAggregate } from '../helpers/cli.ts'
import { freePort, spawnP2pc, startCliSwarm, type RunningP2pc } from '../helpers/cli-process.ts'
import { parseCsv } from '../helpers/csv.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'

const PARAMS = '{"upTo": 20000, "chunk": 1000}'
const TASKS = 20
const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
const PEER_ID = '12D3KooWEj5hRZbLjRLi5g8JvMZPYeETYfXyTJL5ovUj6GeVuHbk'
const UNKNOWN_JOB = 'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq'

/** A `p2pc node` on a known loopback port, and the multiaddr to bootstrap to it. */
async function startNode(
  t: ExecutionContext,
  dataDir: string,
  extra: string[] = [],
): Promise<{ node: RunningP2pc; address: string }> {
  const port = await freePort()
  const node = await spawnP2pc(t, [
    'node',
    '--data-dir',
    dataDir,
    '--listen',
    `/ip4/127.0.0.1/tcp/${port}`,
    '--no-mdns',
    ...extra,
  ])
  return { node, address: `/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId}` }
}

/** Publishes the primes job through the peer running on `dataDir`; returns its jobId. */
async function publishOn(t: ExecutionContext, dataDir: string): Promise<string> {
  const published = await p2pc([
    'publish',
    workloadDir('primes'),
    '--params',
    PARAMS,
    '--json',
    '--data-dir',
    dataDir,
  ])
  t.is(published.code, 0, published.stderr)
  return (JSON.parse(published.stdout) as { jobId: string }).jobId
}

test.serial(
  'results and jobs on a fresh data dir sync with the node they bootstrap to before answering',
  async (t) => {
    const root = await temporaryDir(t)
    const { address } = await startNode(t, join(root, 'node'))
    const jobId = await publishOn(t, join(root, 'node'))

    const [results, jobs, csv] = await Promise.all([
      p2pc(['results', jobId, '--json', '--data-dir', join(root, 'r1'), '--bootstrap', address, ...LOOPBACK]),
      p2pc(['jobs', '--json', '--data-dir', join(root, 'r2'), '--bootstrap', address, ...LOOPBACK]),
      p2pc(['results', jobId, '--csv', '--data-dir', join(root, 'r3'), '--bootstrap', address, ...LOOPBACK]),
    ])
    t.is(results.code, 0, results.stderr)
    const printed = JSON.parse(results.stdout) as { status: string; tasks: unknown }
    t.is(printed.status, 'open')
    t.deepEqual(printed.tasks, { total: TASKS, validated: 0, failed: 0, pending: TASKS })
    t.is(jobs.code, 0, jobs.stderr)
    t.deepEqual(
      (JSON.parse(jobs.stdout) as Array<{ jobId: string }>).map((job) => job.jobId),
      [jobId],
    )
    t.is(csv.code, 0, csv.stderr)
    t.deepEqual(parseCsv(csv.stdout), [
      ['index', 'status', 'output', 'verified'],
      ...Array.from({ length: TASKS }, (_, i) => [String(i), 'pending', '', '']),
    ])
    t.notRegex(results.stderr + jobs.stderr + csv.stderr, /reached no peer/)
  },
)

test.serial("results --wait on a fresh data dir follows a swarm's job to its aggregate", async (t) => {
  const root = await temporaryDir(t)
  const { nodeDir, node } = await startCliSwarm(t, root, 2)
  const jobId = await publishOn(t, nodeDir)
  const address = node.addresses.find((candidate) => candidate.includes('/tcp/')) ?? ''
  const results = await p2pc(
    [
      'results',
      jobId,
      '--wait',
      '--json',
      '--data-dir',
      join(root, 'reader'),
      '--bootstrap',
      address,
      ...LOOPBACK,
    ],
    { timeoutMs: 120_000 },
  )
  t.is(results.code, 0, results.stderr)
  const printed = JSON.parse(results.stdout) as { status: string; aggregate: unknown }
  t.is(printed.status, 'complete')
  t.deepEqual(
    printed.aggregate,
    await runLocalAggregate(workloadDir('primes'), PARAMS, await temporaryDir(t)),
  )
})

test.serial(
  'a reader that reaches no peer says so in one line: an error for an unknown job, a warning for jobs',
  async (t) => {
    const root = await temporaryDir(t)
    const gone = `/ip4/127.0.0.1/tcp/${await freePort()}/p2p/${PEER_ID}`
    const [results, jobs] = await Promise.all([
      p2pc(['results', UNKNOWN_JOB, '--data-dir', join(root, 'r1'), '--bootstrap', gone, ...LOOPBACK]),
      p2pc(['jobs', '--data-dir', join(root, 'r2'), '--bootstrap', gone, ...LOOPBACK]),
    ])
    t.not(results.code, 0)
    t.regex(
      results.stderr,
      /^p2pc: this peer knows no job bafy\w+, and it reached no peer to sync with in 10 s\n$/,
    )
    t.is(jobs.code, 0, jobs.stderr)
    t.regex(
      jobs.stderr,
      /^p2pc: warning: reached no peer to sync with in 10 s: this answer is only what the data dir holds\n$/,
    )
    t.is(jobs.stdout, 'no jobs\n')
  },
)

test.serial(
  'jobs marks the jobs of trusted and untrusted publishers, with publisher and progress, as text, JSON and CSV',
  async (t) => {
    const root = await temporaryDir(t)
    const trusted = await startNode(t, join(root, 'trusted'))
    const stranger = await startNode(t, join(root, 'stranger'), ['--bootstrap', trusted.address])
    const [trustedJob, strangerJob] = await Promise.all([
      publishOn(t, join(root, 'trusted')),
      publishOn(t, join(root, 'stranger')),
    ])
    await waitForJobs(t, join(root, 'trusted'), [trustedJob, strangerJob])

    const reader = join(root, 'reader')
    t.is((await p2pc(['trust', 'add', trusted.node.peerId, '--data-dir', reader])).code, 0)
    const run = (extra: string[]) =>
      p2pc(['jobs', ...extra, '--data-dir', reader, '--bootstrap', trusted.address, ...LOOPBACK])
    const csv = await run(['--csv'])
    t.is(csv.code, 0, csv.stderr)
    const [header, ...rows] = parseCsv(csv.stdout)
    t.deepEqual(header, [
      'job',
      'name',
      'version',
      'publisher',
      'trusted',
      'status',
      'validated',
      'failed',
      'total',
    ])
    const row = (publisher: string, isTrusted: string) => [
      publisher,
      isTrusted,
      'open',
      '0',
      '0',
      String(TASKS),
    ]
    t.deepEqual(
      Object.fromEntries(rows.map(([job, , , ...rest]) => [job, rest])),
      Object.fromEntries([
        [trustedJob, row(trusted.node.peerId, 'true')],
        [strangerJob, row(stranger.node.peerId, 'false')],
      ]),
    )

    const json = await run(['--json'])
    t.is(json.code, 0, json.stderr)
    const listed = JSON.parse(json.stdout) as Array<{ jobId: string; trusted: boolean; publisher: string }>
    t.deepEqual(
      Object.fromEntries(listed.map((job) => [job.jobId, [job.publisher, job.trusted]])),
      Object.fromEntries([
        [trustedJob, [trusted.node.peerId, true]],
        [strangerJob, [stranger.node.peerId, false]],
      ]),
    )

    const text = await run([])
    t.is(text.code, 0, text.stderr)
    const line = (jobId: string) =>
      text.stdout.split('\n').find((candidate) => candidate.startsWith(jobId)) ?? ''
    t.regex(
      line(trustedJob),
      new RegExp(`  0/${TASKS} validated  trusted  publisher ${trusted.node.peerId}$`),
    )
    t.regex(
      line(strangerJob),
      new RegExp(`  0/${TASKS} validated  untrusted  publisher ${stranger.node.peerId}$`),
    )

    const both = await run(['--csv', '--json'])
    t.not(both.code, 0)
    t.regex(both.stdout, /"message":"--csv and --json cannot be used together: pick one"/)
  },
)

/** Waits until the peer running on `dataDir` lists every job in `jobIds`. */
async function waitForJobs(t: ExecutionContext, dataDir: string, jobIds: string[]): Promise<void> {
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    const listed = await p2pc(['jobs', '--json', '--data-dir', dataDir])
    const known = new Set((JSON.parse(listed.stdout) as Array<{ jobId: string }>).map((job) => job.jobId))
    if (jobIds.every((jobId) => known.has(jobId))) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  t.fail(`the peer on ${dataDir} never listed ${jobIds.join(', ')}`)
}
