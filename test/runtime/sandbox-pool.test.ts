import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { getPriority, homedir } from 'node:os'
import { isAbsolute, join, relative } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  memoryCheckpoints,
  readWorkloadPackage,
  type SandboxedTaskPoolInit,
  type TaskPool,
} from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { childPids } from '../helpers/process-cpu.ts'
import { checkOnStartOrder } from '../helpers/start-order.ts'

interface Sandbox {
  pool: TaskPool
  /** The bundle cache, the one folder the sandbox may read. */
  cache: string
  /** A folder outside the cache, for the workloads to aim at. */
  outside: string
  bundle(name: string): Promise<string>
  /** Runs a normal task: the pool still works after whatever came before. */
  square(n: number): Promise<unknown>
}

async function sandbox(t: ExecutionContext, init: Partial<SandboxedTaskPoolInit> = {}): Promise<Sandbox> {
  const cache = await temporaryDir(t)
  const outside = await temporaryDir(t)
  const pool = createSandboxedTaskPool({ threads: 1, bundleDir: cache, ...init })
  pool.start()
  t.teardown(() => pool.stop())
  const bundle = async (name: string): Promise<string> =>
    (await bundleWorkload(await readWorkloadPackage(fixtureWorkload(name)), cache)).path
  const square = async (n: number): Promise<unknown> =>
    pool.run({ bundle: await bundle('squares'), input: n })
  return { pool, cache, outside, bundle, square }
}

/** How the parent ends a sandbox whose channel carries bytes that p2pc did not write. */
const BROKEN_CHANNEL =
  /^the sandbox process sent a frame (of \d+ bytes, more than the limit|that does not authenticate)$/

/** Runs one attack of the attacks-host fixture in the pool. */
function attack(pool: TaskPool, bundle: string, input: Record<string, unknown>): Promise<unknown> {
  return pool.run({ bundle, input })
}

test('runs a task and relays progress, logs and checkpoints to the host', async (t) => {
  const checkpoints = memoryCheckpoints()
  await checkpoints.save('job/3', { i: 'before' })
  const { pool, bundle } = await sandbox(t, { checkpoints })
  const progress: number[] = []
  const logs: string[] = []
  const output = await pool.run(
    { bundle: await bundle('squares'), input: 3, checkpointKey: 'job/3' },
    { onProgress: (fraction) => progress.push(fraction), onLog: (message) => logs.push(message) },
  )
  t.is(output, 9)
  t.deepEqual(progress, [0.5])
  t.deepEqual(logs, ['square of 3, restored {"i":"before"}'])
  t.deepEqual(await checkpoints.load('job/3'), { i: 3 })
})

test('onStart is called when a worker in the sandbox begins the task, not while it waits for a thread', async (t) => {
  const { pool, bundle } = await sandbox(t)
  await checkOnStartOrder(t, pool, await bundle('stamps'))
})

test("a workload's error comes back with its name and message", async (t) => {
  const { pool, bundle, square } = await sandbox(t)
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('throws'), input: 2 }))
  t.is(err?.name, 'TaskFailedError')
  t.is(err?.message, 'RangeError: two is not allowed')
  t.is((err as Error & { causeName: string }).causeName, 'RangeError')
  t.is(await square(2), 4)
})

test('a workload cannot read a file outside the bundle cache, nor list ~/.ssh', async (t) => {
  const { pool, outside, bundle, square } = await sandbox(t)
  const secret = join(outside, 'secret.txt')
  await writeFile(secret, 'the secret')
  for (const path of [secret, join(homedir(), '.ssh')]) {
    const err = await t.throwsAsync(pool.run({ bundle: await bundle('reads-file'), input: path }))
    t.is(err?.name, 'TaskFailedError')
    t.is(err?.message, 'Error: the sandbox denied FileSystemRead (ERR_ACCESS_DENIED)')
  }
  t.is(await square(4), 16)
})

test('a workload cannot start a worker thread of its own, which would run without the permission model', async (t) => {
  const { pool, outside, bundle, square } = await sandbox(t)
  const secret = join(outside, 'secret.txt')
  await writeFile(secret, 'the secret')
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('starts-worker'), input: secret }))
  t.is(err?.name, 'TaskFailedError')
  t.is(err?.message, 'Error: the sandbox denied WorkerThreads (ERR_ACCESS_DENIED)')
  t.is(await square(3), 9)
})

test('a workload cannot write a file, outside the cache or in it', async (t) => {
  const { pool, cache, outside, bundle, square } = await sandbox(t)
  for (const path of [join(outside, 'pwned.txt'), join(cache, 'pwned.mjs')]) {
    const err = await t.throwsAsync(pool.run({ bundle: await bundle('writes-file'), input: path }))
    t.is(err?.message, 'Error: the sandbox denied FileSystemWrite (ERR_ACCESS_DENIED)')
    t.false(existsSync(path))
  }
  t.is(await square(5), 25)
})

test('a workload cannot start a process', async (t) => {
  const { pool, outside, bundle, square } = await sandbox(t)
  const marker = join(outside, 'spawned.txt')
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('spawns-process'), input: marker }))
  t.is(err?.message, 'Error: the sandbox denied ChildProcess (ERR_ACCESS_DENIED)')
  t.false(existsSync(marker))
  t.is(await square(6), 36)
})

test('a workload cannot load a native addon', async (t) => {
  const { pool, outside, bundle, square } = await sandbox(t)
  // Not a real addon: without the sandbox, dlopen would fail differently, on its contents.
  const addon = join(outside, 'evil.node')
  await writeFile(addon, 'not an ELF, Mach-O or PE file')
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('loads-addon'), input: addon }))
  t.is(err?.message, 'Error: the sandbox denied loading a native addon (ERR_DLOPEN_DISABLED)')
  t.is(await square(7), 49)
})

test('a workload cannot call native code through node:ffi', async (t) => {
  const { pool, bundle, square } = await sandbox(t)
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('calls-ffi'), input: 0 }))
  t.is(err?.message, 'Error: the sandbox denied FFI (ERR_ACCESS_DENIED)')
  t.is(await square(7), 49)
})

test('a task that never returns is terminated at its deadline and the pool goes on', async (t) => {
  // Long enough for the next task to load its bundle in a fresh worker on a busy machine (a CI
  // run took more than a second for it).
  const { pool, bundle, square } = await sandbox(t, { taskTimeoutMs: 10_000, abortGraceMs: 50 })
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('never-returns'), input: 0 }))
  t.is(err?.name, 'TaskTimeoutError')
  t.is(err?.message, 'the task did not finish within 10000 ms')
  t.is(await square(8), 64)
})

test('a task that honours ctx.signal stops at its deadline without waiting for the grace period', async (t) => {
  const { pool, bundle } = await sandbox(t, { taskTimeoutMs: 100, abortGraceMs: 60_000 })
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('abortable'), input: 0 }))
  t.is(err?.name, 'TaskTimeoutError')
})

test('a task that allocates without bound hits the memory limit and the pool goes on', async (t) => {
  const { pool, bundle, square } = await sandbox(t, { memoryMb: 64 })
  const err = await t.throwsAsync(pool.run({ bundle: await bundle('allocates'), input: 0 }))
  t.is(err?.name, 'TaskOutOfMemoryError')
  t.is(err?.message, 'the task exceeded its memory limit of 64 MiB')
  t.is(await square(9), 81)
})

test('aborting through the caller signal stops the task', async (t) => {
  const { pool, bundle, square } = await sandbox(t, { abortGraceMs: 50 })
  const controller = new AbortController()
  const running = pool.run(
    { bundle: await bundle('checkpoints-often'), input: { count: 0, end: 'wait' } },
    { signal: controller.signal, onLog: () => controller.abort() },
  )
  t.is((await t.throwsAsync(running))?.name, 'TaskAbortedError')
  t.is(await square(10), 100)
})

test('a workload that writes garbage to the channel ends its own sandbox only, and the next task gets a new one', async (t) => {
  const { pool, bundle, square } = await sandbox(t)
  const before = (await pool.run({ bundle: await bundle('inspects-process'), input: 0 })) as { pid: number }
  const err = await t.throwsAsync(attack(pool, await bundle('attacks-host'), { attack: 'channel' }))
  t.is(err?.name, 'TaskFailedError')
  t.regex(err?.message ?? '', BROKEN_CHANNEL)
  t.is((err as Error & { causeName: string }).causeName, 'SandboxError')
  t.is(await square(11), 121)
  const after = (await pool.run({ bundle: await bundle('inspects-process'), input: 0 })) as { pid: number }
  t.not(after.pid, before.pid)
  t.not(after.pid, process.pid)
  t.false(childPids().includes(before.pid), 'nothing of the broken sandbox is left')
})

test('frames forged on the channel are not believed: the task beside them fails, it never gets their output', async (t) => {
  const { pool, bundle, square } = await sandbox(t, { threads: 2 })
  const beside = pool.run({ bundle: await bundle('sleeps'), input: 60_000 })
  const err = await t.throwsAsync(attack(pool, await bundle('attacks-host'), { attack: 'forge' }))
  // Forged frames fail to authenticate, or, cut into by the sandbox's own frames, to parse.
  t.regex(err?.message ?? '', BROKEN_CHANNEL)
  const besideErr = await t.throwsAsync(beside)
  t.is((besideErr as Error & { causeName: string }).causeName, 'SandboxError')
  t.is(await square(12), 144)
})

test('a frame begun on the channel and never finished ends the sandbox once the channel has stood still', async (t) => {
  const { pool, bundle, square } = await sandbox(t, { channelStallMs: 1000 })
  const err = await t.throwsAsync(attack(pool, await bundle('attacks-host'), { attack: 'stall' }))
  t.is(err?.message, 'the sandbox process stalled its channel')
  t.is((err as Error & { causeName: string }).causeName, 'SandboxError')
  t.is(await square(14), 196)
})

test('a workload cannot signal or renice its contributor, nor get the controls back', async (t) => {
  const { pool, bundle, square } = await sandbox(t)
  const attacks = await bundle('attacks-host')
  // Harmless if they got through: signal 0 only asks whether the process exists, and the
  // priority asked for is the one this process has.
  const nice = getPriority(process.pid)
  const denied: Array<[Record<string, unknown>, string]> = [
    [{ attack: 'kill', signal: 0 }, 'Signal'],
    [{ attack: 'rawKill' }, 'Signal'],
    [{ attack: 'priority', nice }, 'Priority'],
    [{ attack: 'recover', signal: 0 }, 'Priority'],
  ]
  for (const [input, permission] of denied) {
    const err = await t.throwsAsync(attack(pool, attacks, input))
    t.is(err?.message, `Error: the sandbox denied ${permission} (ERR_ACCESS_DENIED)`, String(input.attack))
  }
  t.is(getPriority(process.pid), nice)
  t.is(await square(13), 169)
})

test('workload code sees none of the environment and runs under the permission flags', async (t) => {
  process.env.P2PC_TEST_SECRET = 'token'
  t.teardown(() => delete process.env.P2PC_TEST_SECRET)
  const { pool, cache, outside, bundle } = await sandbox(t)
  const seen = (await pool.run({ bundle: await bundle('inspects-process'), input: 0 })) as {
    env: string[]
    execArgv: string[]
  }
  t.deepEqual(seen.env, [])
  t.true(seen.execArgv.includes('--permission'))
  // The pool's threads, where workload code runs, may not start threads of their own.
  for (const flag of [
    '--allow-fs-write',
    '--allow-child-process',
    '--allow-addons',
    '--allow-wasi',
    '--allow-worker',
    '--allow-net',
    '--allow-ffi',
  ]) {
    t.false(
      seen.execArgv.some((arg) => arg.startsWith(flag)),
      flag,
    )
  }
  t.false(seen.execArgv.includes('--allow-inspector'))
  const readable = seen.execArgv
    .filter((arg) => arg.startsWith('--allow-fs-read='))
    .map((arg) => arg.slice('--allow-fs-read='.length))
  t.true(readable.includes(cache))
  for (const path of readable) {
    t.false(contains(path, outside), `${path} holds a folder the sandbox must not read`)
    t.false(contains(path, homedir()), `${path} holds the home folder`)
  }
})

test("the sandbox works in an empty folder of its own, outside the caller's, removed when it stops", async (t) => {
  const { pool, cache, bundle } = await sandbox(t)
  const seen = (await pool.run({ bundle: await bundle('inspects-process'), input: 0 })) as {
    cwd: string
    cwdEntries: string[]
  }
  t.not(seen.cwd, process.cwd())
  t.false(contains(process.cwd(), seen.cwd))
  t.false(contains(cache, seen.cwd))
  t.deepEqual(seen.cwdEntries, [])
  t.true(existsSync(seen.cwd))
  await pool.stop()
  t.false(existsSync(seen.cwd))
})

test('stop ends the sandbox process, is safe twice, and a stopped pool refuses work', async (t) => {
  const { pool, bundle } = await sandbox(t)
  pool.start()
  const { pid } = (await pool.run({ bundle: await bundle('inspects-process'), input: 0 })) as { pid: number }
  await pool.stop()
  await pool.stop()
  t.throws(() => process.kill(pid, 0), { code: 'ESRCH' })
  await t.throwsAsync(pool.run({ bundle: await bundle('squares'), input: 1 }), { name: 'InvalidOptionError' })
})

test('stopping the pool aborts the tasks still running', async (t) => {
  const { pool, bundle } = await sandbox(t)
  let started: () => void = () => {}
  const logged = new Promise<void>((resolve) => (started = resolve))
  const running = pool.run(
    { bundle: await bundle('checkpoints-often'), input: { count: 0, end: 'wait' } },
    { onLog: () => started() },
  )
  await Promise.race([logged, running])
  await pool.stop()
  t.is((await t.throwsAsync(running))?.name, 'TaskAbortedError')
})

test('a bundle outside the bundle cache is refused', async (t) => {
  const { pool, outside } = await sandbox(t)
  const err = await t.throwsAsync(pool.run({ bundle: join(outside, 'elsewhere.mjs'), input: 0 }))
  t.is(err?.name, 'InvalidOptionError')
  t.regex(err!.message, /does not lie in the sandbox's bundle folder/)
})

test('options are checked at the boundary', (t) => {
  t.is(
    t.throws(() => createSandboxedTaskPool({ bundleDir: '' }))?.message,
    'options.bundleDir must be the path of the bundle cache',
  )
  t.is(
    t.throws(() => createSandboxedTaskPool({ bundleDir: 'cache', threads: 0 }))?.message,
    'options.threads must be a positive integer',
  )
  t.is(
    t.throws(() => createSandboxedTaskPool({ bundleDir: 'cache', channelStallMs: 0 }))?.message,
    'options.channelStallMs must be a number of ms above 0',
  )
})

test('without the sandbox the same workloads do read and write outside: the tests above can fail', async (t) => {
  const cache = await temporaryDir(t)
  const outside = await temporaryDir(t)
  const pool = createTaskPool({ threads: 1 })
  pool.start()
  t.teardown(() => pool.stop())
  const bundle = async (name: string): Promise<string> =>
    (await bundleWorkload(await readWorkloadPackage(fixtureWorkload(name)), cache)).path
  const secret = join(outside, 'secret.txt')
  await writeFile(secret, 'the secret')
  t.is(await pool.run({ bundle: await bundle('reads-file'), input: secret }), 'the secret')
  const target = join(outside, 'pwned.txt')
  t.is(await pool.run({ bundle: await bundle('writes-file'), input: target }), 'written')
  t.true(existsSync(target))
  t.is(await pool.run({ bundle: await bundle('starts-worker'), input: secret }), 'the secret')
  // The pool's threads run in this process, so a C function called through FFI answers its pid.
  t.is(await pool.run({ bundle: await bundle('calls-ffi'), input: 0 }), process.pid)
})

/** Whether `folder` is `path` or holds it. */
function contains(folder: string, path: string): boolean {
  const rest = relative(folder, path)
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest))
}
