import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DatabaseSync } from 'node:sqlite'
import test, { type ExecutionContext } from 'ava'
import { Key } from 'interface-datastore'
import { peerIdOf, sealEnvelope } from '@p2pc/protocol'
import { DATABASE_FILE, SCHEMA_VERSION, createStore, type Store } from '@p2pc/store'
import { repoRoot, temporaryDir } from '../helpers/paths.ts'
import { jobAnnounce, keyFromSeed } from '../protocol/fixtures.ts'

const BATCH_ENTRIES = 20

async function startedStore(t: ExecutionContext, dir: string, flushMs = 60_000): Promise<Store> {
  const store = createStore({ dir, datastoreFlushMs: flushMs })
  await store.start()
  t.teardown(() => store.stop())
  return store
}

async function collect<T>(source: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of source) items.push(item)
  return items
}

/** The rows of the datastore table, read on a connection of their own: what is committed. */
function committedRows(dir: string): Map<string, Uint8Array> {
  const db = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true })
  try {
    const rows = db.prepare('SELECT key, value FROM datastore').all()
    return new Map(rows.map((row) => [row.key as string, row.value as Uint8Array]))
  } finally {
    db.close()
  }
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values)

test('the datastore round-trips entries, before and after they are committed', async (t) => {
  const dir = await temporaryDir(t)
  const { datastore } = await startedStore(t, dir)
  await datastore.put(new Key('/peers/a'), bytes(1))
  await datastore.put(new Key('/peers/b'), bytes(2))
  await datastore.put(new Key('/dht/c'), bytes(3))
  t.deepEqual(await datastore.get(new Key('/peers/a')), bytes(1), 'a write is read back at once')
  t.is(committedRows(dir).size, 0, 'and committed only at the flush')

  datastore.flush()
  t.deepEqual([...committedRows(dir).keys()].sort(), ['/dht/c', '/peers/a', '/peers/b'])

  await datastore.put(new Key('/peers/a'), bytes(9))
  await datastore.delete(new Key('/peers/b'))
  t.deepEqual(await datastore.get(new Key('/peers/a')), bytes(9), 'a held write hides the committed one')
  t.false(await datastore.has(new Key('/peers/b')), 'a held deletion hides the committed entry')
  const error = await t.throwsAsync(async () => datastore.get(new Key('/peers/b')))
  t.is(error?.name, 'NotFoundError', "libp2p's peer store tells a missing peer by this name")

  const listed = await collect(datastore.query({ prefix: '/peers/' }))
  t.deepEqual(
    listed.map(({ key, value }) => [key.toString(), [...value]]),
    [['/peers/a', [9]]],
  )
  t.deepEqual((await collect(datastore.queryKeys({}))).map(String).sort(), ['/dht/c', '/peers/a'])

  const batch = datastore.batch()
  batch.put(new Key('/peers/d'), bytes(4))
  batch.delete(new Key('/dht/c'))
  await batch.commit()
  datastore.flush()
  const committed = committedRows(dir)
  t.deepEqual([...committed.keys()].sort(), ['/peers/a', '/peers/d'])
  t.deepEqual(committed.get('/peers/a'), bytes(9))
})

test('the datastore survives a restart: stop commits what waits', async (t) => {
  const dir = await temporaryDir(t)
  const first = createStore({ dir, datastoreFlushMs: 60_000 })
  await first.start()
  await first.datastore.put(new Key('/peers/kept'), bytes(7))
  await first.stop()

  const again = await startedStore(t, dir)
  t.deepEqual(await again.datastore.get(new Key('/peers/kept')), bytes(7))
})

test('held writes are committed by themselves after the flush interval', async (t) => {
  const dir = await temporaryDir(t)
  const { datastore } = await startedStore(t, dir, 20)
  await datastore.put(new Key('/peers/soon'), bytes(5))
  for (let tries = 0; !committedRows(dir).has('/peers/soon'); tries++) {
    if (tries > 500) t.fail('the write was never committed')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  t.pass()
})

test('a database of schema 1 gains the datastore and keeps its log', async (t) => {
  const dir = await temporaryDir(t)
  const old = createStore({ dir })
  await old.start()
  const key = await keyFromSeed(1)
  const announce = await sealEnvelope(jobAnnounce(peerIdOf(key)), key)
  old.putEnvelope(announce)
  await old.stop()
  // What p2pc before the address book left: the tables of version 1 alone.
  const db = new DatabaseSync(join(dir, DATABASE_FILE))
  db.exec('DROP TABLE datastore; DROP TABLE counters; DROP TABLE credit; PRAGMA user_version = 1')
  db.close()

  const store = await startedStore(t, dir)
  t.true(store.hasEnvelope(announce.id))
  await store.datastore.put(new Key('/peers/new'), bytes(1))
  store.datastore.flush()
  t.true(committedRows(dir).has('/peers/new'))
  const check = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true })
  t.is((check.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION)
  check.close()
})

test('kill -9 in the middle of commits leaves every committed batch whole and no batch in part', async (t) => {
  const dir = await temporaryDir(t)
  const acknowledged: number[] = []
  for (let round = 0; round < 3; round++) {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'test', 'helpers', 'datastore-writer.ts'),
        dir,
        String(round * 1_000_000),
        String(BATCH_ENTRIES),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const exited = new Promise((resolve) => child.once('exit', resolve))
    let seen = 0
    for await (const line of createInterface({ input: child.stdout })) {
      acknowledged.push(Number(line))
      // Kill at a different point of the write cycle each round.
      if (++seen === 30 + round * 7) child.kill('SIGKILL')
    }
    t.is(await exited, null, 'the writer was killed, it did not exit on its own')
  }
  const { datastore } = await startedStore(t, dir)
  const entries = new Map<string, number>()
  for await (const key of datastore.queryKeys({ prefix: '/peers/' })) {
    const batch = key.toString().split('/')[2]!
    entries.set(batch, (entries.get(batch) ?? 0) + 1)
  }
  t.deepEqual(
    acknowledged.filter((batch) => entries.get(String(batch)) !== BATCH_ENTRIES),
    [],
    'every acknowledged batch is there, whole',
  )
  t.deepEqual(
    [...entries].filter(([, count]) => count !== BATCH_ENTRIES),
    [],
    'no batch is there in part',
  )
})
