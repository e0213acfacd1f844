/**
 * A thread that has run one bundle never runs another: what a job's task leaves in its thread's
 * globals never reaches another job. Both pools, since the sandbox runs the same slots inside it.
 */
import { setImmediate } from 'node:timers/promises'
import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  readWorkloadPackage,
  type TaskPool,
  type TaskPoolInit,
} from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

const pools = {
  'in-process': (init: TaskPoolInit, cache: string): TaskPool => (void cache, createTaskPool(init)),
  sandboxed: (init: TaskPoolInit, cache: string): TaskPool =>
    createSandboxedTaskPool({ ...init, bundleDir: cache }),
}

interface Pool {
  pool: TaskPool
  bundle(name: string): Promise<string>
  run(name: string, input?: unknown, options?: { signal?: AbortSignal }): Promise<unknown>
}

async function startedPool(t: ExecutionContext, kind: keyof typeof pools, init: TaskPoolInit): Promise<Pool> {
  const cache = await temporaryDir(t)
  const pool = pools[kind](init, cache)
  pool.start()
  t.teardown(() => pool.stop())
  const bundles = new Map<string, Promise<string>>()
  const bundle = (name: string): Promise<string> => {
    let path = bundles.get(name)
    if (path === undefined) {
      path = readWorkloadPackage(fixtureWorkload(name)).then(
        async (pkg) => (await bundleWorkload(pkg, cache)).path,
      )
      bundles.set(name, path)
    }
    return path
  }
  return {
    pool,
    bundle,
    run: async (name, input = 0, options = {}) => pool.run({ bundle: await bundle(name), input }, options),
  }
}

const pristine = { ceil: 2, includes: false, poisoned: null }

for (const kind of ['in-process', 'sandboxed'] as const) {
  test(`${kind}: a job that poisons its thread's globals does not reach the next job on that thread`, async (t) => {
    const { run } = await startedPool(t, kind, { threads: 1 })
    t.deepEqual(await run('poisons-globals'), { marked: false })
    t.like(await run('reads-globals'), pristine)
  })

  test(`${kind}: tasks of one bundle share a warm thread, and see what their own bundle left`, async (t) => {
    const { run } = await startedPool(t, kind, { threads: 1 })
    t.like(await run('reads-globals'), { runs: 1 })
    t.like(await run('reads-globals'), { runs: 2 }, 'the module was imported once')
    t.deepEqual(await run('poisons-globals'), { marked: false })
    t.deepEqual(await run('poisons-globals'), { marked: true })
    t.like(await run('reads-globals'), { ...pristine, runs: 3 }, 'its thread waited, warm')
  })

  test(`${kind}: one thread keeps two bundles warm, and a third replaces the one idle longest`, async (t) => {
    const { run } = await startedPool(t, kind, { threads: 1 })
    t.like(await run('reads-globals'), { runs: 1 })
    t.deepEqual(await run('poisons-globals'), { marked: false })
    t.is(await run('squares', 5), 25)
    t.deepEqual(await run('poisons-globals'), { marked: true }, 'still warm')
    t.like(await run('reads-globals'), { ...pristine, runs: 1 }, 'a fresh thread')
  })

  test(`${kind}: jobs alternating on two threads each keep a thread of their own`, async (t) => {
    const { run } = await startedPool(t, kind, { threads: 2 })
    for (let round = 1; round <= 3; round++) {
      const [poisoned, read] = await Promise.all([run('poisons-globals'), run('reads-globals')])
      t.deepEqual(poisoned, { marked: round > 1 })
      t.deepEqual(read, { ...pristine, runs: round })
    }
  })

  test(`${kind}: more bundles than threads each get a fresh thread`, async (t) => {
    const { run } = await startedPool(t, kind, { threads: 2 })
    const outputs = await Promise.all([
      run('poisons-globals'),
      run('squares', 3),
      run('reads-globals'),
      run('poisons-globals'),
      run('reads-globals'),
      run('squares', 4),
    ])
    t.is(outputs[1], 9)
    t.is(outputs[5], 16)
    t.like(outputs[2], pristine)
    t.like(outputs[4], pristine)
  })

  test(`${kind}: a task waiting for a thread leaves the queue at once when aborted`, async (t) => {
    // Without that, a queued task would wait out the grace period, meant for running ones.
    const { pool, bundle } = await startedPool(t, kind, { threads: 1, abortGraceMs: 10 * 60_000 })
    let started: () => void = () => {}
    const logged = new Promise<void>((resolve) => (started = resolve))
    const busy = pool.run(
      { bundle: await bundle('checkpoints-often'), input: { count: 0, end: 'wait' } },
      { onLog: () => started() },
    )
    busy.catch(() => {})
    await logged
    const controller = new AbortController()
    const queued = pool.run({ bundle: await bundle('squares'), input: 2 }, { signal: controller.signal })
    // The task reaches the queue once the microtasks of pool.run have run.
    await setImmediate()
    controller.abort()
    t.is((await t.throwsAsync(queued))?.name, 'TaskAbortedError')
    await pool.stop()
    t.is((await t.throwsAsync(busy))?.name, 'TaskAbortedError')
  })
}
