// The governor on real sandbox processes: the CPU cap, idle-only and pause on battery, measured
// from /proc apart from the governor's own readings. Serial: each measures the machine's CPU.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { availableParallelism, loadavg } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  readWorkloadPackage,
  type GovernorInit,
  type TaskPool,
} from '@p2pc/runtime'
import { spin } from '../fixtures/workloads/spins/index.js'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { fakePowerSupply } from '../helpers/power-supply.ts'
import { childPids, cpuTimeMs, hasProc, threadsOf } from '../helpers/process-cpu.ts'

const linuxTest = hasProc ? test.serial : test.skip

interface Sandbox {
  pool: TaskPool
  /** The sandbox process's id. */
  pid: number
  bundle(name: string): Promise<string>
}

/** A sandboxed pool of one thread under a governor, and the id of its process. */
async function governedSandbox(
  t: ExecutionContext,
  governor: GovernorInit,
  taskTimeoutMs = 0,
): Promise<Sandbox> {
  const cache = await temporaryDir(t)
  const before = new Set(childPids())
  const pool = createSandboxedTaskPool({ threads: 1, bundleDir: cache, taskTimeoutMs, governor })
  pool.start()
  t.teardown(() => pool.stop())
  const pid = childPids().find((candidate) => !before.has(candidate))
  if (pid === undefined) throw new Error('the sandbox process did not start')
  const bundle = async (name: string): Promise<string> =>
    (await bundleWorkload(await readWorkloadPackage(fixtureWorkload(name)), cache)).path
  return { pool, pid, bundle }
}

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not seen within ${timeoutMs} ms`)
    await sleep(50)
  }
}

/** The share of one CPU a process used over `windowMs`. */
async function cpuShare(pid: number, windowMs: number): Promise<number> {
  const cpu = cpuTimeMs(pid)
  const start = performance.now()
  await sleep(windowMs)
  return (cpuTimeMs(pid) - cpu) / (performance.now() - start)
}

/** The CPU share a one-thread sandbox running a task that never ends gets, after a warm-up. */
async function shareOfEndlessTask(t: ExecutionContext, governor: GovernorInit, windowMs: number) {
  const { pool, pid, bundle } = await governedSandbox(t, governor)
  const task = pool.run({ bundle: await bundle('never-returns'), input: 0 }).catch(() => {})
  await sleep(3000)
  const share = await cpuShare(pid, windowMs)
  await pool.stop()
  await task
  return share
}

linuxTest('--max-cpu 50 keeps the CPU share of the sandbox within 50 % ± 10 points', async (t) => {
  t.timeout(90_000)
  const before = await shareOfEndlessTask(t, { onBattery: 'run' }, 2000)
  const share = await shareOfEndlessTask(t, { maxCpu: 50, onBattery: 'run' }, 10_000)
  const after = await shareOfEndlessTask(t, { onBattery: 'run' }, 2000)
  const percent = (value: number): string => `${(value * 100).toFixed(1)} %`
  t.log(`one thread unthrottled: ${percent(before)} before, ${percent(after)} after`)
  t.log(`one thread under --max-cpu 50, over 10 s: ${percent(share)}`)
  if (Math.min(before, after) < 0.7) {
    // The pool runs at the lowest priority: on a machine this busy it does not get the CPU a cap
    // would hold it to, so the cap cannot be measured.
    t.log('skipped: the machine is too busy to give the pool its share')
    t.pass()
    return
  }
  t.true(share >= 0.4 && share <= 0.6, `measured ${percent(share)}`)
})

/** Processes that each keep one CPU busy, killed when the test ends. */
function competitors(t: ExecutionContext, count: number): ChildProcess[] {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  )
  t.teardown(() => {
    for (const child of children) child.kill('SIGKILL')
  })
  return children
}

linuxTest(
  '--idle-only pauses the pool while another process keeps the CPUs busy, and resumes it after',
  async (t) => {
    t.timeout(180_000)
    const { pool, pid, bundle } = await governedSandbox(t, {
      onBattery: 'run',
      idleOnly: { load: 0.75, resumeLoad: 0.5, sampleMs: 250, pauseAfter: 2, resumeAfter: 3 },
    })
    const iterations = 600_000_000
    let progress = 0
    const task = pool.run(
      { bundle: await bundle('spins'), input: { iterations } },
      { onProgress: (fraction) => (progress = fraction) },
    )
    // The task is ended with the sandbox when the test ends early: that is not a failure.
    task.catch(() => {})
    await until(() => progress > 0 || pool.pausedFor?.() === 'idle-only', 60_000, 'the task running')
    if (progress === 0) {
      // Something else keeps this machine busy already: there is no idle time to take away.
      t.log('skipped: the machine was busy before the test made it so, and the pool paused at once')
      t.pass()
      return
    }

    const busy = competitors(t, availableParallelism())
    await until(() => pool.pausedFor?.() === 'idle-only', 30_000, 'the pool paused for idle-only')
    const pausedAt = progress
    const share = await cpuShare(pid, 1500)
    t.log(`sandbox CPU share while paused: ${(share * 100).toFixed(1)} %`)
    t.true(share < 0.05, 'a paused sandbox uses no CPU')
    t.is(progress, pausedAt, 'the task makes no progress while paused')

    for (const child of busy) child.kill('SIGKILL')
    await Promise.all(busy.map((child) => once(child, 'exit')))
    const resumed = await until(() => pool.pausedFor?.() === undefined, 120_000, 'the pool resumed').then(
      () => true,
      () => false,
    )
    if (!resumed) {
      // Other work keeps the load above the resume threshold: staying paused is what it should do.
      t.log(`skipped: the machine stayed busy without the test's load (${loadavg()[0]!.toFixed(1)})`)
      t.pass()
      return
    }
    t.is(await task, spin(iterations), 'the task completes with its result, no work lost')
  },
)

linuxTest(
  'on battery the sandbox pauses, on mains it resumes, and the pause does not count against the deadline',
  async (t) => {
    t.timeout(120_000)
    const power = await fakePowerSupply(t)
    const taskTimeoutMs = 6000
    const { pool, pid, bundle } = await governedSandbox(
      t,
      { onBattery: 'pause', powerSupplyDir: power.dir, powerCheckMs: 100 },
      taskTimeoutMs,
    )
    const iterations = 200_000_000
    let progress = 0
    const started = performance.now()
    const task = pool.run(
      { bundle: await bundle('spins'), input: { iterations } },
      { onProgress: (fraction) => (progress = fraction) },
    )
    await until(() => progress > 0, 60_000, 'the task running')

    await power.set(false)
    await until(() => pool.pausedFor?.() === 'on-battery', 10_000, 'the pool paused on battery')
    const pausedAt = progress
    t.true((await cpuShare(pid, 1000)) < 0.05, 'a paused sandbox uses no CPU')
    // Longer than the deadline: were the pause counted, the task would time out on resuming.
    await sleep(taskTimeoutMs)
    t.is(progress, pausedAt, 'the task makes no progress on battery')

    await power.set(true)
    t.is(await task, spin(iterations))
    t.is(pool.pausedFor?.(), undefined)
    t.true(performance.now() - started > taskTimeoutMs, 'the task took longer than its deadline, paused')
  },
)

test.serial('the in-process pool holds new tasks back on battery and runs them on mains', async (t) => {
  const power = await fakePowerSupply(t)
  const cache = await temporaryDir(t)
  await power.set(false)
  const pool = createTaskPool({
    threads: 1,
    governor: { onBattery: 'pause', powerSupplyDir: power.dir, powerCheckMs: 50 },
  })
  pool.start()
  t.teardown(() => pool.stop())
  await until(() => pool.pausedFor?.() === 'on-battery', 10_000, 'the pool paused on battery')
  const bundle = (await bundleWorkload(await readWorkloadPackage(fixtureWorkload('squares')), cache)).path
  let settled = false
  const task = pool.run({ bundle, input: 7 }).finally(() => (settled = true))
  await sleep(500)
  t.false(settled, 'no task starts on battery')
  await power.set(true)
  t.is(await task, 49)
  t.is(pool.pausedFor?.(), undefined)
})

linuxTest('the sandbox runs its tasks at the nice value of their priority', async (t) => {
  const priorities: Array<[GovernorInit['priority'], number]> = [
    [undefined, 19],
    ['lowest', 19],
    ['low', 10],
    ['normal', 0],
  ]
  for (const [priority, nice] of priorities) {
    const { pool, pid, bundle } = await governedSandbox(t, {
      onBattery: 'run',
      ...(priority && { priority }),
    })
    const task = pool.run({ bundle: await bundle('never-returns'), input: 0 }).catch(() => {})
    // The thread that spins is the task's: the one with the most CPU time once it has run a while.
    await until(() => threadsOf(pid).some((thread) => thread.cpuMs >= 300), 60_000, 'the spinning task')
    const busiest = threadsOf(pid).reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a))
    t.is(busiest.nice, nice, `priority ${priority ?? 'by default'}`)
    t.is(threadsOf(pid).find((thread) => thread.tid === pid)?.nice, nice, 'the main thread')
    await pool.stop()
    await task
  }
})

test('governor options are checked at the boundary', (t) => {
  const bad: Array<[GovernorInit, string]> = [
    [{ maxCpu: 0 }, 'options.governor.maxCpu must be a percentage from 1 to 100'],
    [{ maxCpu: 150 }, 'options.governor.maxCpu must be a percentage from 1 to 100'],
    [{ idleOnly: { load: 1.5 } }, 'options.governor.idleOnly.load must be a fraction from 0 to 1'],
    [
      { idleOnly: { load: 0.2, resumeLoad: 0.5 } },
      'options.governor.idleOnly.resumeLoad must not be above idleOnly.load',
    ],
    [{ onBattery: 'stop' as 'run' }, "options.governor.onBattery must be 'pause' or 'run'"],
    [{ priority: 'high' as 'low' }, "options.governor.priority must be 'lowest', 'low' or 'normal'"],
  ]
  for (const [governor, message] of bad) {
    const err = t.throws(() => createTaskPool({ governor }))
    t.is(err?.name, 'InvalidOptionError')
    t.is(err?.message, message)
  }
})
