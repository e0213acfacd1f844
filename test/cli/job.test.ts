// `p2pc job suspend|resume|abort JOBID` on a running contributor: a suspended job's tasks stop
// (checkpoints kept) and are taken up again on resume; an aborted job's tasks stop, their claims
// go back to the swarm, and the contributor takes no more of it.
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'

async function control(args: string[], dataDir: string): Promise<Record<string, unknown>> {
  const run = await p2pc([...args, '--data-dir', dataDir, '--json'])
  if (run.code !== 0) throw new Error(`p2pc ${args.join(' ')} failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as Record<string, unknown>
}

test('job suspend stops the job’s tasks; job resume takes them up again and the job completes', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  // Two tasks, both claimed at once by the one-thread contributor (two a thread).
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: 2, ms: 8000 },
    { quorum: 1, maxReplicas: 1 },
  )
  await worker.waitForLine((event) => event.event === 'task started')
  t.like(await control(['job', 'suspend', jobId], dataDir), { suspendedJobs: [jobId] })
  await worker.waitForLine((event) => event.event === 'task failed' && event.jobId === jobId)
  t.like((await control(['status'], dataDir)).controls, { suspendedJobs: [jobId] })

  t.like(await control(['job', 'resume', jobId], dataDir), { suspendedJobs: [] })
  // The only contributor: the job ends only if it claims the tasks it gave back again.
  await jobComplete(publisher, jobId, 60_000)
  const results = await publisher.results(jobId)
  t.deepEqual(
    results.contributors.map((c) => [c.peer, c.validated]),
    [[worker.peerId, 2]],
  )
})

test('job abort stops the job’s tasks, gives their claims back and takes no more of it', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  // A second contributor that hears the worker's claims but does not trust the publisher yet.
  const other = await startPeer(t, { bootstrap: publisher.addresses(), contribute: true, threads: 3 })
  // Three tasks: the worker claims two, and would take the third as soon as a slot is free.
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: 3, ms: 15_000 },
    { quorum: 1, maxReplicas: 1, leaseMs: 10 * 60_000 },
  )
  await worker.waitForLine((event) => event.event === 'task started')
  t.like(await control(['job', 'abort', jobId], dataDir), { abortedJobs: [jobId], suspendedJobs: [] })
  await worker.waitForLine((event) => event.event === 'task failed' && event.jobId === jobId)

  const resumed = await p2pc(['job', 'resume', jobId, '--data-dir', dataDir])
  t.is(resumed.code, 1)
  t.is(resumed.stderr, `p2pc: the job ${jobId} was aborted on this peer\n`)
  t.like((await control(['status'], dataDir)).controls, { abortedJobs: [jobId] })
  t.is((await control(['status'], dataDir)).running, 0, 'none of its tasks runs, nor the third')

  // A newcomer's claims hold for 60 s: the other contributor finishing all three sooner is the give-back's.
  const trusted = Date.now()
  await other.setTrust(publisher.peerId, true)
  await jobComplete(publisher, jobId, 60_000)
  t.true(Date.now() - trusted < 45_000, 'the claims were given back at once')
  const results = await publisher.results(jobId)
  t.deepEqual(
    results.contributors.map((c) => c.peer),
    [other.peerId],
    'the worker answered none of the aborted job',
  )
})

test('a job id the contributor does not know gets one sentence and exit 1', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  for (const action of ['suspend', 'resume', 'abort']) {
    const run = await p2pc(['job', action, 'bafynotajob', '--data-dir', dataDir])
    t.is(run.code, 1)
    t.is(run.stderr, 'p2pc: this peer knows no job bafynotajob\n')
  }
  const json = await p2pc(['job', 'abort', 'bafynotajob', '--data-dir', dataDir, '--json'])
  t.is(json.code, 1)
  t.deepEqual(JSON.parse(json.stdout), {
    error: { name: 'UnknownJobError', message: 'this peer knows no job bafynotajob' },
  })
})
