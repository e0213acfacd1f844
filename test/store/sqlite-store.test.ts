import { randomBytes } from 'node:crypto'
import { readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { jobIdOf, peerIdOf, sealEnvelope, type SealedEnvelope } from '@p2pc/protocol'
import { DATABASE_FILE, createStore, type Store } from '@p2pc/store'
import { flipPageHeaders } from '../helpers/damage.ts'
import { temporaryDir } from '../helpers/paths.ts'
import { claim, inlineBatch, inlineResult, jobAnnounce, keyFromSeed } from '../protocol/fixtures.ts'

async function startedStore(t: ExecutionContext, dir?: string): Promise<Store> {
  const store = createStore({ dir: dir ?? (await temporaryDir(t)), now: () => 42 })
  await store.start()
  t.teardown(() => store.stop())
  return store
}

async function sampleEnvelopes(): Promise<{ announce: SealedEnvelope; others: SealedEnvelope[] }> {
  const key = await keyFromSeed(1)
  const announce = await sealEnvelope(jobAnnounce(peerIdOf(key)), key)
  const jobId = jobIdOf(announce.message as never)
  const others = await Promise.all(
    [inlineBatch(), claim(), inlineResult()].map((message) => sealEnvelope({ ...message, jobId }, key)),
  )
  return { announce, others }
}

test('envelopes are stored once, and the log keeps their order', async (t) => {
  const store = await startedStore(t)
  const { announce, others } = await sampleEnvelopes()
  t.is(store.putEnvelopes([announce, ...others]), 4)
  t.is(store.putEnvelopes([...others, announce]), 0, 'inserting again is harmless')
  t.false(store.putEnvelope(announce))
  const jobId = jobIdOf(announce.message as never)
  t.deepEqual(store.envelopeIds(jobId), [announce.id, ...others.map((e) => e.id)])
  t.deepEqual(store.envelopeIds(jobId, 'Claim'), [others[1]!.id])
  const logged = store.envelopes()
  t.deepEqual(
    logged.map((row) => row.id),
    [announce.id, ...others.map((e) => e.id)],
  )
  t.deepEqual(new Uint8Array(logged[0]!.bytes), announce.bytes)
  t.deepEqual(
    store.envelopes({ after: logged[1]!.seq, limit: 1 }).map((row) => row.id),
    [others[1]!.id],
  )
  t.true(store.hasEnvelope(others[2]!.id))
  t.false(store.hasEnvelope('bafyreinothere'))
})

test('appended envelopes are committed together, each once, and stop commits what waits', async (t) => {
  const dir = await temporaryDir(t)
  const store = createStore({ dir, groupCommitMs: 60_000 })
  await store.start()
  const { announce, others } = await sampleEnvelopes()
  const [first, ...rest] = [announce, ...others]
  const added = Promise.all([first!, first!, ...rest].map((envelope) => store.appendEnvelope(envelope)))
  t.false(store.hasEnvelope(first!.id), 'nothing is written before the window ends')
  await store.stop()
  t.deepEqual(await added, [true, false, true, true, true], 'the duplicate in the same batch is not new')

  const reopened = await startedStore(t, dir)
  t.deepEqual(
    reopened.envelopes().map((row) => row.id),
    [first!, ...rest].map((envelope) => envelope.id),
  )
  t.false(await reopened.appendEnvelope(announce), 'an envelope already in the log is not new')
  await reopened.committed()
})

test('committed() waits for the group commit of everything appended before it', async (t) => {
  const store = await startedStore(t)
  const { announce, others } = await sampleEnvelopes()
  for (const envelope of [announce, ...others]) void store.appendEnvelope(envelope)
  await store.committed()
  t.is(store.envelopes().length, 4)
})

test('a JobAnnounce derives a job row', async (t) => {
  const store = await startedStore(t)
  const { announce } = await sampleEnvelopes()
  store.putEnvelope(announce)
  const [job] = store.jobs()
  t.is(job?.jobId, jobIdOf(announce.message as never))
  t.is(job?.publisher, announce.signer)
  t.is(job?.name, 'primes')
  t.is(job?.taskCount, 1000)
})

test('everything survives a restart, and the derived tables rebuild from the log', async (t) => {
  const dir = await temporaryDir(t)
  const { announce, others } = await sampleEnvelopes()
  const first = createStore({ dir })
  await first.start()
  first.putEnvelopes([announce, ...others])
  first.saveCheckpoint('job/1', { step: 7, best: new Map([['x', 1]]) })
  await first.stop()
  await first.stop()

  const second = await startedStore(t, dir)
  t.is(second.envelopes().length, 4)
  t.deepEqual(second.loadCheckpoint('job/1'), { step: 7, best: new Map([['x', 1]]) })
  const before = second.jobs()
  await second.rebuildDerived()
  t.deepEqual(second.jobs(), before)
  t.is(before.length, 1)
})

test('checkpoints are replaced and deleted', async (t) => {
  const store = await startedStore(t)
  t.is(store.loadCheckpoint('k'), undefined)
  store.saveCheckpoint('k', { n: 1 })
  store.saveCheckpoint('k', { n: 2 })
  t.deepEqual(store.loadCheckpoint('k'), { n: 2 })
  store.deleteCheckpoint('k')
  t.is(store.loadCheckpoint('k'), undefined)
})

test('the data directory is created owner-only and the database uses WAL', async (t) => {
  const dir = join(await temporaryDir(t), 'peer')
  await startedStore(t, dir)
  t.is((await stat(dir)).mode & 0o777, 0o700)
  t.true((await stat(join(dir, `${DATABASE_FILE}-wal`))).isFile())
})

test('a store that is not started says so', (t) => {
  const store = createStore({ dir: 'unused' })
  t.is(t.throws(() => store.jobs())?.name, 'StoreNotStartedError')
})

/** A store of a few pages, stopped, so that everything is in the database file itself. */
async function storeOnDisk(t: ExecutionContext): Promise<string> {
  const dir = await temporaryDir(t)
  const store = createStore({ dir })
  await store.start()
  const { announce, others } = await sampleEnvelopes()
  store.putEnvelopes([announce, ...others])
  for (let n = 0; n < 50; n++) store.saveCheckpoint(`job/${n}`, { state: 'x'.repeat(1000) })
  await store.stop()
  return dir
}

const refusesDamage = test.macro(async (t, damage: (path: string) => Promise<void>, what: RegExp) => {
  const dir = await storeOnDisk(t)
  const path = join(dir, DATABASE_FILE)
  await damage(path)
  const before = await readFile(path)
  const store = createStore({ dir })
  const err = await t.throwsAsync(store.start())
  t.is(err?.name, 'CorruptDatabaseError')
  t.regex(err!.message, new RegExp(`^the database ${path} is damaged \\(${what.source}`))
  t.false(err!.message.includes('\n'), 'one line')
  t.deepEqual(await readFile(path), before, 'the file is left as it was')
  t.is(t.throws(() => store.jobs())?.name, 'StoreNotStartedError', 'and nothing is open')
})

test(
  'a database emptied to zero bytes is refused, not made anew',
  refusesDamage,
  (path) => truncate(path, 0),
  /it is empty\)/,
)
test(
  'a database with damaged pages is refused',
  refusesDamage,
  flipPageHeaders,
  /quick_check: |database disk image is malformed/,
)
test(
  'a file that is not a database is refused',
  refusesDamage,
  (path) => writeFile(path, randomBytes(8192)),
  /file is not a database\)/,
)
