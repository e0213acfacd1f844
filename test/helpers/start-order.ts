import type { ExecutionContext } from 'ava'
import type { TaskPool } from '@p2pc/runtime'

/**
 * Runs three 300 ms tasks of the `stamps` fixture on a one-thread `pool`, the third aborted while it
 * waits for the thread, and checks that `onStart` tells of the first two only, each when a worker
 * began it: the second's once the first had ended, by the wall clock the worker stamped that end
 * with, never while it waited in the queue.
 */
export async function checkOnStartOrder(t: ExecutionContext, pool: TaskPool, bundle: string): Promise<void> {
  const onStartAt = new Map<string, number>()
  const queued = new AbortController()
  const run = (name: string, signal?: AbortSignal) =>
    pool.run({ bundle, input: 300 }, { signal, onStart: () => onStartAt.set(name, Date.now()) }) as Promise<{
      start: number
      end: number
    }>
  const tasks = [run('first'), run('second'), run('third', queued.signal)]
  queued.abort()
  const [first, , third] = await Promise.allSettled(tasks)
  t.is(third?.status, 'rejected', 'the third task left the queue')
  t.deepEqual([...onStartAt.keys()], ['first', 'second'], 'the aborted third never began')
  const { end } = (first as PromiseFulfilledResult<{ end: number }>).value
  const after = onStartAt.get('second')! - end
  t.true(after >= 0, `second began ${after} ms after the first ended`)
}
