import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import test from 'ava'
import { peerIdOf, sealEnvelope } from '@p2pc/protocol'
import { DATABASE_FILE, SCHEMA_VERSION, createStore } from '@p2pc/store'
import { temporaryDir } from '../helpers/paths.ts'
import { jobAnnounce, keyFromSeed } from '../protocol/fixtures.ts'

test('counters add up, start at zero, and are there again after a restart', async (t) => {
  const dir = await temporaryDir(t)
  const first = createStore({ dir })
  await first.start()
  t.deepEqual(first.counters(), {})
  first.addToCounters({ 'tasks.done': 3, 'tasks.failed': 0 })
  first.addToCounters({ 'tasks.done': 2, 'tasks.failed': 1 })
  t.deepEqual(first.counters(), { 'tasks.done': 5, 'tasks.failed': 1 })
  await first.stop()

  const second = createStore({ dir })
  await second.start()
  t.teardown(() => second.stop())
  t.deepEqual(second.counters(), { 'tasks.done': 5, 'tasks.failed': 1 })
  second.addToCounters({ 'tasks.failed': 4 })
  t.deepEqual(second.counters(), { 'tasks.done': 5, 'tasks.failed': 5 })
})

test('a database of schema 2 gains the counters and keeps its log', async (t) => {
  const dir = await temporaryDir(t)
  const old = createStore({ dir })
  await old.start()
  const key = await keyFromSeed(1)
  const announce = await sealEnvelope(jobAnnounce(peerIdOf(key)), key)
  old.putEnvelope(announce)
  await old.stop()
  // What p2pc before the counters left: the tables of version 2 alone.
  const db = new DatabaseSync(join(dir, DATABASE_FILE))
  db.exec('DROP TABLE counters; DROP TABLE credit; PRAGMA user_version = 2')
  db.close()

  const store = createStore({ dir })
  await store.start()
  t.teardown(() => store.stop())
  t.true(store.hasEnvelope(announce.id))
  store.addToCounters({ 'tasks.done': 1 })
  t.deepEqual(store.counters(), { 'tasks.done': 1 })
  const check = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true })
  t.is((check.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION)
  check.close()
})
