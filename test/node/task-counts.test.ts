import test from 'ava'
import { TaskCounts } from '@p2pc/node'
import { createStore } from '@p2pc/store'
import { temporaryDir } from '../helpers/paths.ts'

test('tasks done and failed are counted, written together, and read again by the next run', async (t) => {
  const dir = await temporaryDir(t)
  const store = createStore({ dir })
  await store.start()
  const counts = new TaskCounts({ store, flushMs: 60_000 })
  counts.start()
  for (const state of ['started', 'done', 'started', 'failed', 'started', 'done'] as const)
    counts.count(state)
  t.like(counts, { done: 2, failed: 1 })
  t.deepEqual(store.counters(), {}, 'nothing written before the flush')
  counts.flush()
  t.deepEqual(store.counters(), { 'tasks.done': 2, 'tasks.failed': 1 })
  counts.count('done')
  counts.stop()
  await store.stop()

  await store.start()
  t.teardown(() => store.stop())
  const next = new TaskCounts({ store, flushMs: 60_000 })
  next.start()
  t.teardown(() => next.stop())
  t.like(next, { done: 3, failed: 1 })
})

test('counts a write could not keep wait for the next one', async (t) => {
  const store = createStore({ dir: await temporaryDir(t) })
  await store.start()
  t.teardown(() => store.stop())
  let full = true
  const counts = new TaskCounts({
    store,
    flushMs: 60_000,
    attempt: (write) => {
      if (!full) write()
    },
  })
  counts.start()
  t.teardown(() => counts.stop())
  counts.count('done')
  counts.flush()
  t.deepEqual(store.counters(), {})
  t.like(counts, { done: 1 })
  full = false
  counts.count('failed')
  counts.flush()
  t.deepEqual(store.counters(), { 'tasks.done': 1, 'tasks.failed': 1 })
  t.like(counts, { done: 1, failed: 1 })
})
