// `p2pc pause` and `p2pc resume` on a running contributor, in a swarm of p2pc processes: the
// governor's pause (the sandbox stopped, ~0 % CPU against a baseline measured in the same test),
// claims held through a short pause and given back for a long one, and the job done after resume.
// Linux only: the test reads the sandbox's CPU time and state from /proc.
import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import type { PeerEvents } from '@p2pc/node'
import { p2pc, publishedJobId } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc, startCliSwarm, type RunningP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'
import { childPids, commandLine, cpuTimeMs, hasProc, processState } from '../helpers/process-cpu.ts'

const linuxTest = hasProc ? test.serial : test.skip

/** One task of about seven seconds of CPU on an idle machine: long enough to pause in the middle. */
const SPIN = JSON.stringify({ tasks: 1, iterations: 1_000_000_000 })

function sandboxOf(worker: RunningP2pc): number {
  const pid = childPids(worker.child.pid).find((candidate) => commandLine(candidate).includes('sandbox-main'))
  if (pid === undefined) throw new Error('the contributor has no sandbox process')
  return pid
}

/** The share of one CPU a process used over `ms`. */
async function cpuShare(pid: number, ms: number): Promise<number> {
  const start = performance.now()
  const cpu = cpuTimeMs(pid)
  await sleep(ms)
  return (cpuTimeMs(pid) - cpu) / (performance.now() - start)
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check(); await sleep(50)) {
    if (Date.now() > end) throw new Error(`${what} not within ${timeoutMs} ms`)
  }
}

async function control(args: string[], dataDir: string): Promise<Record<string, unknown>> {
  const run = await p2pc([...args, '--data-dir', dataDir, '--json'])
  if (run.code !== 0) throw new Error(`p2pc ${args.join(' ')} failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as Record<string, unknown>
}

linuxTest(
  'pause stops the sandbox at once (~0 % CPU), status says so, and after resume the job completes',
  async (t) => {
    t.timeout(400_000)
    const root = await temporaryDir(t)
    const { nodeDir, workers } = await startCliSwarm(t, root, 1)
    const worker = workers[0]!
    const workerDir = `${root}/contributor-0`
    const jobId = await publishedJobId(fixtureWorkload('spins'), nodeDir, [
      '--params',
      SPIN,
      '--quorum',
      '1',
      '--max-replicas',
      '1',
    ])
    await worker.waitForLine((event) => event.event === 'task started')
    const sandbox = sandboxOf(worker)
    const baseline = await cpuShare(sandbox, 2000)
    t.log(`sandbox CPU share while running: ${(baseline * 100).toFixed(1)} %`)

    t.deepEqual(await control(['pause'], workerDir), {
      pausedUntil: null,
      finishing: false,
      suspendedJobs: [],
      abortedJobs: [],
    })
    t.is(processState(sandbox)?.state, 'T', 'the sandbox is stopped by the time pause answers')
    const status = await control(['status'], workerDir)
    t.is(status.paused, 'volunteer')
    t.like(status.controls, { pausedUntil: null })
    const paused = await cpuShare(sandbox, 2000)
    t.log(`sandbox CPU share while paused: ${(paused * 100).toFixed(1)} %`)
    t.true(paused < 0.05, 'a paused sandbox uses no CPU')
    // On a loaded machine the sandbox's share while running can be small too.
    if (baseline >= 0.05) t.true(paused < baseline / 5, 'a fifth of its share while running, at most')
    else t.log('the machine left the running sandbox too little CPU to compare the pause with')

    t.like(await control(['resume'], workerDir), { finishing: false })
    t.not(processState(sandbox)?.state, 'T', 'the sandbox runs again')
    t.is((await control(['status'], workerDir)).paused, undefined)
    // On a loaded machine the task can take minutes.
    const results = await p2pc(['results', jobId, '--wait', '--json', '--data-dir', nodeDir], {
      timeoutMs: 300_000,
    })
    t.is(results.code, 0, results.stderr)
    const printed = JSON.parse(results.stdout) as { status: string; contributors: Array<{ peer: string }> }
    t.is(printed.status, 'complete')
    t.deepEqual(
      printed.contributors.map((c) => c.peer),
      [worker.peerId],
      'the paused contributor kept its claim and answered',
    )
  },
)

linuxTest('pause --for a short time holds the claim and resumes by itself', async (t) => {
  // On a loaded machine the task can take minutes.
  t.timeout(400_000)
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  const jobId = await publisher.publish(fixtureWorkload('spins'), JSON.parse(SPIN), {
    quorum: 1,
    maxReplicas: 1,
    leaseMs: 10 * 60_000,
  })
  await worker.waitForLine((event) => event.event === 'task started')
  const sandbox = sandboxOf(worker)
  const before = Date.now()
  const answer = await control(['pause', '--for', '3s'], dataDir)
  const pausedUntil = answer.pausedUntil as number
  t.true(pausedUntil >= before + 3000 && pausedUntil <= Date.now() + 3000, 'paused until three seconds on')
  t.is(processState(sandbox)?.state, 'T')
  await until(() => processState(sandbox)?.state !== 'T', 15_000, 'the sandbox resumed by itself')
  t.true(Date.now() >= pausedUntil - 100, 'not before the pause was over')
  t.is((await control(['status'], dataDir)).paused, undefined)
  const events: Array<Record<string, unknown>> = []
  await worker.waitForLine((event) => {
    events.push(event)
    return event.event === 'task done'
  })
  t.false(
    events.some((event) => event.event === 'task failed'),
    'the task ran on from where it was paused',
  )
  t.deepEqual(
    events.filter((event) => event.event === 'controls').map((event) => event.pausedUntil),
    [pausedUntil, undefined],
    'the log says when the pause began, until when, and when it ended',
  )
  await jobComplete(publisher, jobId, 30_000)
})

linuxTest('pause --for longer than the lease gives the claim back to the swarm at once', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  // A second contributor that hears the claim but does not trust the publisher yet.
  const other = await startPeer(t, { bootstrap: publisher.addresses(), contribute: true, threads: 1 })
  // A newcomer's claim holds a task for 60 s at most: a start within 30 s of the pause is the give-back's.
  const jobId = await publisher.publish(fixtureWorkload('spins'), JSON.parse(SPIN), {
    quorum: 1,
    maxReplicas: 1,
    leaseMs: 10 * 60_000,
  })
  await worker.waitForLine((event) => event.event === 'task started')
  const answer = await control(['pause', '--for', '1h'], dataDir)
  t.true((answer.pausedUntil as number) > Date.now() + 3_500_000)
  const otherStarted = new Promise<void>((resolve) =>
    other.addEventListener('task', (event) => {
      const { jobId: job, state } = (event as CustomEvent<PeerEvents['task']>).detail
      if (job === jobId && state === 'started') resolve()
    }),
  )
  await other.setTrust(publisher.peerId, true)
  const started = await Promise.race([otherStarted.then(() => true), sleep(30_000).then(() => false)])
  t.true(started, 'the other contributor took the task while the first is paused')
  await jobComplete(publisher, jobId, 60_000)
  t.is((await control(['status'], dataDir)).paused, 'volunteer', 'still paused: for an hour')
})
