import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createTaskPool,
  memoryCheckpoints,
  readWorkloadPackage,
  type TaskPool,
  type TaskPoolInit,
} from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { checkOnStartOrder } from '../helpers/start-order.ts'

async function bundleOf(t: ExecutionContext, name: string): Promise<string> {
  const bundle = await bundleWorkload(await readWorkloadPackage(fixtureWorkload(name)), await temporaryDir(t))
  return bundle.path
}

function startedPool(t: ExecutionContext, init: TaskPoolInit = {}): TaskPool {
  const pool = createTaskPool({ threads: 1, ...init })
  pool.start()
  t.teardown(() => pool.stop())
  return pool
}

test('runs a task and relays progress, logs and checkpoints through the host API', async (t) => {
  const bundle = await bundleOf(t, 'squares')
  const checkpoints = memoryCheckpoints()
  await checkpoints.save('job/3', { i: 'before' })
  const pool = startedPool(t, { checkpoints })
  const progress: number[] = []
  const logs: string[] = []
  const output = await pool.run(
    { bundle, input: 3, checkpointKey: 'job/3' },
    { onProgress: (fraction) => progress.push(fraction), onLog: (message) => logs.push(message) },
  )
  t.is(output, 9)
  t.deepEqual(progress, [0.5])
  t.deepEqual(logs, ['square of 3, restored {"i":"before"}'])
  t.deepEqual(await checkpoints.load('job/3'), { i: 3 })
})

test('without a checkpoint key a task starts fresh', async (t) => {
  const pool = startedPool(t)
  const logs: string[] = []
  await pool.run(
    { bundle: await bundleOf(t, 'squares'), input: 1 },
    { onLog: (message) => logs.push(message) },
  )
  t.deepEqual(logs, ['square of 1, restored null'])
})

test('onStart is called when a worker begins the task, not while the task waits for a thread', async (t) => {
  const pool = startedPool(t)
  await checkOnStartOrder(t, pool, await bundleOf(t, 'stamps'))
})

test("a workload's error comes back with its name and message", async (t) => {
  const pool = startedPool(t)
  const err = await t.throwsAsync(pool.run({ bundle: await bundleOf(t, 'throws'), input: 2 }))
  t.is(err?.name, 'TaskFailedError')
  t.is(err?.message, 'RangeError: two is not allowed')
  t.is((err as Error & { causeName: string }).causeName, 'RangeError')
  t.is(await pool.run({ bundle: await bundleOf(t, 'throws'), input: 1 }), 1, 'the pool keeps working')
})

test('a task that never returns is terminated at its deadline and the pool goes on', async (t) => {
  // Long enough for the next task to load its bundle in a fresh worker on a busy machine.
  const pool = startedPool(t, { taskTimeoutMs: 1000, abortGraceMs: 50 })
  const err = await t.throwsAsync(pool.run({ bundle: await bundleOf(t, 'never-returns'), input: 0 }))
  t.is(err?.name, 'TaskTimeoutError')
  t.regex(err!.message, /within 1000 ms/)
  t.is(await pool.run({ bundle: await bundleOf(t, 'squares'), input: 4 }), 16)
})

test('a task that honours ctx.signal stops at its deadline without losing its worker', async (t) => {
  const pool = startedPool(t, { taskTimeoutMs: 100, abortGraceMs: 60_000 })
  const err = await t.throwsAsync(pool.run({ bundle: await bundleOf(t, 'abortable'), input: 0 }))
  t.is(err?.name, 'TaskTimeoutError', 'it ended long before the grace period could terminate it')
})

test('aborting through the caller signal stops the task', async (t) => {
  const pool = startedPool(t, { abortGraceMs: 50 })
  const controller = new AbortController()
  const running = pool.run(
    { bundle: await bundleOf(t, 'never-returns'), input: 0 },
    { signal: controller.signal },
  )
  setTimeout(() => controller.abort(), 100)
  t.is((await t.throwsAsync(running))?.name, 'TaskAbortedError')
})

test('a task that allocates without bound hits the memory limit', async (t) => {
  const pool = startedPool(t, { memoryMb: 64 })
  const err = await t.throwsAsync(pool.run({ bundle: await bundleOf(t, 'allocates'), input: 0 }))
  t.is(err?.name, 'TaskOutOfMemoryError')
  t.is(await pool.run({ bundle: await bundleOf(t, 'squares'), input: 5 }), 25)
})

test('options are checked at the boundary', (t) => {
  t.is(t.throws(() => createTaskPool({ threads: 0 }))?.message, 'options.threads must be a positive integer')
  t.is(t.throws(() => createTaskPool({ taskTimeoutMs: -1 }))?.name, 'InvalidOptionError')
})

test('a pool that is not started refuses work, and stop is safe twice', async (t) => {
  const pool = createTaskPool({ threads: 1 })
  await t.throwsAsync(pool.run({ bundle: 'x', input: 0 }), { name: 'InvalidOptionError' })
  pool.start()
  await pool.stop()
  await pool.stop()
  t.pass()
})

test('a pool without a governor pauses by hand: new tasks wait until resume', async (t) => {
  const bundle = await bundleOf(t, 'squares')
  const pool = startedPool(t)
  pool.pause!()
  t.is(pool.pausedFor?.(), 'volunteer')
  let done = false
  const output = pool.run({ bundle, input: 4 }).then((value) => {
    done = true
    return value
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.false(done, 'held back while paused')
  pool.resume!()
  t.is(pool.pausedFor?.(), undefined)
  t.is(await output, 16)
})
