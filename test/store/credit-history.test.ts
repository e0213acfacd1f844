import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import test from 'ava'
import { peerIdOf, sealEnvelope } from '@p2pc/protocol'
import { DATABASE_FILE, SCHEMA_VERSION, createStore } from '@p2pc/store'
import { temporaryDir } from '../helpers/paths.ts'
import { jobAnnounce, keyFromSeed } from '../protocol/fixtures.ts'

test('credit adds up per day and job, and is there again after a restart', async (t) => {
  const dir = await temporaryDir(t)
  const first = createStore({ dir })
  await first.start()
  t.deepEqual(first.creditHistory(), [])
  first.addToCreditHistory('2026-12-02', { jobB: 1500, jobA: 250 })
  first.addToCreditHistory('2026-12-01', { jobA: 100 })
  first.addToCreditHistory('2026-12-02', { jobA: 250, jobC: 0 })
  await first.stop()

  const second = createStore({ dir })
  await second.start()
  t.teardown(() => second.stop())
  t.deepEqual(second.creditHistory(), [
    { day: '2026-12-01', jobId: 'jobA', creditMs: 100 },
    { day: '2026-12-02', jobId: 'jobA', creditMs: 500 },
    { day: '2026-12-02', jobId: 'jobB', creditMs: 1500 },
  ])
})

test('a database of schema 3 gains the credit history and keeps its log and counters', async (t) => {
  const dir = await temporaryDir(t)
  const old = createStore({ dir })
  await old.start()
  const key = await keyFromSeed(1)
  const announce = await sealEnvelope(jobAnnounce(peerIdOf(key)), key)
  old.putEnvelope(announce)
  old.addToCounters({ 'tasks.done': 7 })
  await old.stop()
  // What p2pc before the credit history left: the same tables without `credit`, at version 3.
  const db = new DatabaseSync(join(dir, DATABASE_FILE))
  db.exec('DROP TABLE credit; PRAGMA user_version = 3')
  db.close()

  const store = createStore({ dir })
  await store.start()
  t.teardown(() => store.stop())
  t.true(store.hasEnvelope(announce.id))
  t.deepEqual(store.counters(), { 'tasks.done': 7 })
  store.addToCreditHistory('2026-12-02', { job: 42 })
  t.deepEqual(store.creditHistory(), [{ day: '2026-12-02', jobId: 'job', creditMs: 42 }])
  const check = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true })
  t.is((check.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION)
  check.close()
})
