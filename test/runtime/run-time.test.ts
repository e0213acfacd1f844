// Both pools report how long each task ran in its worker, without its wait in the queue: the
// peer's credit and its claim sizing rest on it.
import test, { type ExecutionContext } from 'ava'
import { bundleWorkload, createSandboxedTaskPool, createTaskPool, readWorkloadPackage } from '@p2pc/runtime'
import type { TaskPool } from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

const TASK_MS = 150

const reportsRunTime = test.macro(async (t: ExecutionContext, kind: 'threads' | 'sandbox') => {
  const cache = await temporaryDir(t)
  const pool: TaskPool =
    kind === 'sandbox'
      ? createSandboxedTaskPool({ threads: 1, bundleDir: cache })
      : createTaskPool({ threads: 1 })
  pool.start()
  t.teardown(() => pool.stop())
  const { path: bundle } = await bundleWorkload(await readWorkloadPackage(fixtureWorkload('sleeps')), cache)
  await pool.run({ bundle, input: 1 }) // the worker has the module loaded before timing starts

  const timed = async (): Promise<{ runMs: number; waitedMs: number }> => {
    const submitted = performance.now()
    let runMs = Number.NaN
    await pool.run({ bundle, input: TASK_MS }, { onRunTime: (ms) => (runMs = ms) })
    return { runMs, waitedMs: performance.now() - submitted }
  }
  // One thread: the second task waits in the queue for the whole of the first.
  const [first, second] = await Promise.all([timed(), timed()])
  for (const { runMs } of [first!, second!]) t.true(runMs >= TASK_MS - 5, `ran ${runMs} ms`)
  t.true(
    second!.runMs < second!.waitedMs - TASK_MS / 2,
    `the queued task ran ${second!.runMs} ms of the ${second!.waitedMs} ms it waited`,
  )
})

test('the thread pool reports run time without queueing', reportsRunTime, 'threads')
test('the sandboxed pool reports run time without queueing', reportsRunTime, 'sandbox')
