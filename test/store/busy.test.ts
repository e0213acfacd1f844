// The store against other processes on its database: a lock held a moment is waited for, one held
// too long is a StoreBusyError in one sentence, and many processes starting on a new data dir at
// once all open it. Every other process here is real (test/helpers/database-holder.ts).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { createInterface } from 'node:readline'
import test, { type ExecutionContext } from 'ava'
import { sealEnvelope } from '@p2pc/protocol'
import { createStore, DATABASE_FILE } from '@p2pc/store'
import { JOB_ID, keyFromSeed } from '../protocol/fixtures.ts'
import { repoRoot, temporaryDir } from '../helpers/paths.ts'

/** A data dir whose store was made and stopped. */
async function madeDataDir(t: ExecutionContext): Promise<string> {
  const dir = await temporaryDir(t)
  const store = createStore({ dir })
  await store.start()
  await store.stop()
  return dir
}

/** Another process holding the data dir's database, killed when the test ends; resolves once it holds it. */
async function holdDatabase(
  t: ExecutionContext,
  dir: string,
  mode: 'write' | 'exclusive',
  holdMs?: number,
): Promise<{ released: Promise<void> }> {
  const args = [join(repoRoot, 'test', 'helpers', 'database-holder.ts'), join(dir, DATABASE_FILE), mode]
  if (holdMs !== undefined) args.push(String(holdMs))
  const holder = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => holder.kill('SIGKILL'))
  const lines = createInterface({ input: holder.stdout! })
  const [line] = (await once(lines, 'line')) as [string]
  if (line !== 'holding') throw new Error(`the holder said ${line}`)
  return { released: once(holder, 'exit').then(() => {}) }
}

async function claim(task: number) {
  return sealEnvelope(
    { type: 'Claim', v: 1, jobId: JOB_ID, tasks: [task], leaseEnd: 1_700_000_000_000 },
    await keyFromSeed(5),
  )
}

test('a write waits while another process holds the write lock a moment, then succeeds', async (t) => {
  const dir = await madeDataDir(t)
  const store = createStore({ dir, busyTimeoutMs: 60_000 })
  await store.start()
  t.teardown(() => store.stop())
  const { released } = await holdDatabase(t, dir, 'write', 500)
  const envelope = await claim(1)
  t.true(store.putEnvelope(envelope))
  await released
  t.true(store.hasEnvelope(envelope.id))
})

test('a write that another process keeps locked past the busy timeout is a StoreBusyError, and nothing is written', async (t) => {
  const dir = await madeDataDir(t)
  const store = createStore({ dir, busyTimeoutMs: 200 })
  await store.start()
  t.teardown(() => store.stop())
  await holdDatabase(t, dir, 'write')
  const envelope = await claim(2)
  const err = t.throws(() => store.putEnvelope(envelope))
  t.is(err?.name, 'StoreBusyError')
  t.is(
    err?.message,
    `the database ${join(dir, DATABASE_FILE)} is locked by another process: try again once that process is done with it`,
  )
  t.false(store.hasEnvelope(envelope.id))
  const checkpoint = t.throws(() => store.saveCheckpoint('job/1', { step: 1 }))
  t.is(checkpoint?.name, 'StoreBusyError')
})

test('a store cannot open a database another process holds exclusively: a StoreBusyError, once the timeout has passed', async (t) => {
  const dir = await madeDataDir(t)
  await holdDatabase(t, dir, 'exclusive')
  const store = createStore({ dir, busyTimeoutMs: 200 })
  const err = await t.throwsAsync(store.start())
  t.is(err?.name, 'StoreBusyError')
  t.true(err?.message.startsWith(`the database ${join(dir, DATABASE_FILE)} is locked by another process`))
})

test('a database made in rollback mode by an older p2pc is put in WAL mode when opened', async (t) => {
  const dir = await madeDataDir(t)
  const path = join(dir, DATABASE_FILE)
  const older = new DatabaseSync(path)
  older.exec('PRAGMA journal_mode = DELETE')
  older.close()
  const store = createStore({ dir })
  await store.start()
  await store.stop()
  const look = new DatabaseSync(path, { readOnly: true })
  t.teardown(() => look.close())
  t.is((look.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal')
})

test('six processes starting a store at once on a new data dir all open it and share one key, four times over', async (t) => {
  t.timeout(300_000)
  // Each process loads the store, says so, and starts it when told: all start together.
  const script = `
    import { once } from 'node:events'
    import { createStore } from '@p2pc/store'
    const store = createStore({ dir: process.argv[1] })
    process.stdout.write('ready\\n')
    await once(process.stdin, 'data')
    await store.start()
    process.stdout.write((await store.key()).publicKey.toString())
    await store.stop()
    process.exit(0)`
  for (let round = 0; round < 4; round++) {
    const dir = join(await temporaryDir(t), 'new')
    const children = Array.from({ length: 6 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script, dir], { cwd: repoRoot }),
    )
    t.teardown(() => children.forEach((child) => child.kill('SIGKILL')))
    const runs = children.map(async (child) => {
      let out = ''
      let err = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      const [code] = (await once(child, 'exit')) as [number | null]
      return { code, key: out.replace('ready\n', ''), err }
    })
    await Promise.all(children.map((child) => once(createInterface({ input: child.stdout }), 'line')))
    for (const child of children) child.stdin.write('go\n')
    const ended = await Promise.all(runs)
    for (const run of ended) t.is(run.code, 0, run.err)
    t.is(new Set(ended.map((run) => run.key)).size, 1, 'one key for all')
  }
})
