// Damaged state in a data dir is refused in one sentence with a non-zero exit, never hangs, and is
// left as it was: the real binary in its own processes.
import { readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { p2pc, type CliRun } from '../helpers/cli.ts'
import { flipPageHeaders } from '../helpers/damage.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'

const offline = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
/**
 * A command that hangs is killed at this bound, and then has no exit code of its own. Alone, each
 * ends within about a second; the bound leaves room for a machine busy with other tests.
 */
const BOUND_MS = 60_000

async function run(args: string[], dataDir: string): Promise<CliRun & { ms: number }> {
  const start = Date.now()
  const result = await p2pc([...args, '--data-dir', dataDir], { timeoutMs: BOUND_MS })
  return { ...result, ms: Date.now() - start }
}

function refused(t: ExecutionContext, result: CliRun & { ms: number }, expected: RegExp): void {
  t.not(result.code, null, `it ended on its own, within ${BOUND_MS} ms`)
  t.not(result.code, 0, 'a non-zero exit')
  t.regex(result.stderr, /^p2pc: [^\n]+\n$/, `one sentence on stderr: ${result.stderr}`)
  t.regex(result.stderr, expected)
  t.log(`${result.stderr.trim()} (${result.ms} ms)`)
}

/** A data dir with an identity and a published job in its log. */
async function usedDataDir(t: ExecutionContext): Promise<string> {
  const dataDir = await temporaryDir(t)
  const published = await run(
    ['publish', workloadDir('primes'), '--params', '{"upTo": 20000}', ...offline],
    dataDir,
  )
  t.is(published.code, 0, published.stderr)
  return dataDir
}

const damagedKey = test.macro(async (t, damage: (key: Buffer) => Buffer) => {
  t.timeout(4 * BOUND_MS)
  const dataDir = await usedDataDir(t)
  const keyFile = join(dataDir, 'peer.key')
  await writeFile(keyFile, damage(await readFile(keyFile)))
  const expected = /^p2pc: .+peer\.key does not hold a private key: /
  refused(t, await run(['status', ...offline], dataDir), expected)
  // The first command left nothing behind that a second one would wait for.
  refused(t, await run(['jobs', ...offline], dataDir), expected)
  refused(t, await run(['node', ...offline], dataDir), expected)
})

// One after the other: each runs several p2pc processes, and these are about time.
test.serial('a truncated peer.key: refused, and the next command on the dir ends too', damagedKey, (key) =>
  key.subarray(0, 20),
)
test.serial('a peer.key of garbage: refused, and the next command on the dir ends too', damagedKey, () =>
  Buffer.from('\xff\xfe garbage, not a key\n', 'latin1'),
)

const damagedDatabase = test.macro(async (t, damage: (path: string) => Promise<void>, what: RegExp) => {
  t.timeout(3 * BOUND_MS)
  const dataDir = await usedDataDir(t)
  const database = join(dataDir, 'store.db')
  await damage(database)
  const before = await readFile(database)
  const expected = new RegExp(
    `^p2pc: the database ${database} is damaged \\(${what.source}.*\\): p2pc leaves it as it is; `,
  )
  refused(t, await run(['jobs', ...offline], dataDir), expected)
  refused(t, await run(['node', ...offline], dataDir), expected)
  t.deepEqual(await readFile(database), before, 'the file is left as it was')
})

test.serial(
  'a store.db cut to zero bytes is refused, not made anew',
  damagedDatabase,
  (path) => truncate(path, 0),
  /it is empty/,
)
test.serial(
  'a store.db with flipped bytes in its pages is refused',
  damagedDatabase,
  flipPageHeaders,
  /quick_check|database disk image is malformed/,
)
