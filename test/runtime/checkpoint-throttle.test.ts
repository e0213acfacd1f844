import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  readWorkloadPackage,
  type CheckpointStore,
  type TaskPool,
  type TaskPoolInit,
} from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

/** A store that remembers every save, when it came, and lets a test wait for the n-th. */
class RecordingStore implements CheckpointStore {
  readonly saves: Array<{ state: unknown; at: number; taskRunning: boolean }> = []
  taskRunning = true
  private readonly waiting: Array<{ matches(state: unknown): boolean; resolve(): void }> = []

  load(): unknown {
    return undefined
  }

  save(_key: string, state: unknown): void {
    this.saves.push({ state, at: performance.now(), taskRunning: this.taskRunning })
    this.notify()
  }

  /** Resolves once a save of a state that `matches` was made; rejects after `timeoutMs`. */
  saved(matches: (state: unknown) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such save in ${timeoutMs} ms`)), timeoutMs)
      this.waiting.push({ matches, resolve: () => (clearTimeout(timer), resolve()) })
      this.notify()
    })
  }

  private notify(): void {
    for (const waiter of this.waiting)
      if (this.saves.some((save) => waiter.matches(save.state))) waiter.resolve()
  }

  states(): unknown[] {
    return this.saves.map((save) => save.state)
  }
}

const pools: Array<[string, (init: TaskPoolInit, cache: string) => TaskPool]> = [
  ['in-process', (init) => createTaskPool(init)],
  ['sandboxed', (init, cache) => createSandboxedTaskPool({ ...init, bundleDir: cache })],
]

for (const [kind, create] of pools) {
  async function setUp(
    t: ExecutionContext,
    checkpointIntervalMs: number,
  ): Promise<{ pool: TaskPool; store: RecordingStore; bundle: string }> {
    const cache = await temporaryDir(t)
    const store = new RecordingStore()
    const pool = create({ threads: 1, checkpoints: store, checkpointIntervalMs, abortGraceMs: 50 }, cache)
    pool.start()
    t.teardown(() => pool.stop())
    const { path } = await bundleWorkload(
      await readWorkloadPackage(fixtureWorkload('checkpoints-often')),
      cache,
    )
    return { pool, store, bundle: path }
  }

  test(`${kind}: checkpoints in a row save the first; ctx.restore sees the newest; success drops it`, async (t) => {
    const { pool, store, bundle } = await setUp(t, 60_000)
    const output = await pool.run({ bundle, input: { count: 50, end: 'return' }, checkpointKey: 'k' })
    t.is(output, 49)
    t.deepEqual(store.states(), [{ i: 0 }])
  })

  test(`${kind}: a task that fails saves its newest pending checkpoint`, async (t) => {
    const { pool, store, bundle } = await setUp(t, 60_000)
    const err = await t.throwsAsync(
      pool.run({ bundle, input: { count: 50, end: 'throw' }, checkpointKey: 'k' }),
    )
    t.is(err?.message, 'Error: gave up')
    t.deepEqual(store.states(), [{ i: 0 }, { i: 49 }])
  })

  test(`${kind}: an aborted task saves its newest pending checkpoint`, async (t) => {
    const { pool, store, bundle } = await setUp(t, 60_000)
    const controller = new AbortController()
    const err = await t.throwsAsync(
      pool.run(
        { bundle, input: { count: 50, end: 'wait' }, checkpointKey: 'k' },
        { signal: controller.signal, onLog: () => controller.abort() },
      ),
    )
    t.is(err?.name, 'TaskAbortedError')
    t.deepEqual(store.states(), [{ i: 0 }, { i: 49 }])
  })

  test(`${kind}: a pending checkpoint is saved once the interval has passed, while the task runs`, async (t) => {
    const interval = 300
    const { pool, store, bundle } = await setUp(t, interval)
    const controller = new AbortController()
    const ended = pool
      .run({ bundle, input: { count: 3, end: 'wait' }, checkpointKey: 'k' }, { signal: controller.signal })
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      )
    // The task waits for its signal, so only the interval can bring its last checkpoint to the store.
    await store.saved((state) => (state as { i: number }).i === 2)
    store.taskRunning = false
    controller.abort()
    t.is((await ended)?.name, 'TaskAbortedError')
    t.deepEqual(store.states().at(-1), { i: 2 }, 'nothing is left to save when it ends')
    t.true(store.saves.every((save) => save.taskRunning))
    // A loaded machine may space the three checkpoints out, but two saves are never closer than
    // the interval (less a little: timers may fire early on the monotonic clock).
    for (let i = 1; i < store.saves.length; i++) {
      t.true(store.saves[i]!.at - store.saves[i - 1]!.at >= interval - 10)
    }
  })
}

test('the interval is checked at the boundary', (t) => {
  t.is(
    t.throws(() => createTaskPool({ checkpointIntervalMs: -1 }))?.message,
    'options.checkpointIntervalMs must be a number of at least 0',
  )
})
