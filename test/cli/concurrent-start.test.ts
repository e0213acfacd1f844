// Processes that start at once on one data dir, real `p2pc` processes: a new data dir gets one
// identity however many create it, and a database another process holds is one sentence.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import test from 'ava'
import { DATABASE_FILE } from '@p2pc/store'
import { p2pc } from '../helpers/cli.ts'
import { repoRoot, temporaryDir } from '../helpers/paths.ts'

const PAIRS = 10

test(`${PAIRS} pairs of p2pc id started at once on new data dirs: each pair prints one identity, and both exit 0`, async (t) => {
  t.timeout(300_000)
  const root = await temporaryDir(t)
  for (let pair = 0; pair < PAIRS; pair++) {
    const dataDir = join(root, `peer-${pair}`)
    const runs = await Promise.all([0, 1].map(() => p2pc(['id', '--json', '--data-dir', dataDir])))
    for (const run of runs) t.is(run.code, 0, `pair ${pair}: ${run.stdout}${run.stderr}`)
    const [first, second] = runs.map((run) => (JSON.parse(run.stdout) as { peerId?: string }).peerId)
    t.truthy(first)
    t.is(first, second, `pair ${pair} printed two identities`)
  }
})

test('p2pc id on a data dir whose database another process holds says so in one sentence and exits 1', async (t) => {
  t.timeout(120_000)
  const dataDir = await temporaryDir(t)
  t.is((await p2pc(['id', '--data-dir', dataDir])).code, 0)
  const holder = spawn(
    process.execPath,
    [join(repoRoot, 'test', 'helpers', 'database-holder.ts'), join(dataDir, DATABASE_FILE), 'exclusive'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  t.teardown(() => holder.kill('SIGKILL'))
  await once(createInterface({ input: holder.stdout! }), 'line')

  const json = await p2pc(['id', '--json', '--data-dir', dataDir])
  t.is(json.code, 1)
  const message = `the database ${join(dataDir, DATABASE_FILE)} is locked by another process: try again once that process is done with it`
  t.deepEqual(JSON.parse(json.stdout), { error: { name: 'StoreBusyError', message } })
  const plain = await p2pc(['id', '--data-dir', dataDir])
  t.is(plain.code, 1)
  t.is(plain.stderr, `p2pc: ${message}\n`)
})
