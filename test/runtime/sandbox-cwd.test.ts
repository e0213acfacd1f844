/**
 * The sandbox reads nothing outside its allowed folders, whatever the working directory of the
 * contributor's process. Each test runs the real `p2pc run-local --sandbox` in a process started
 * in that directory (`/`, `$HOME`, the data dir), with a hostile workload that tries to read the
 * contributor's files by absolute and by relative paths.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

type Probe = string | { chdir: string; path: string }

interface ProbeResult {
  probe: Probe
  /** The working directory workload code saw. */
  cwd: string
  read?: unknown
  error?: string
}

/** A data dir holding a key and a database, as a contributor's does. */
async function dataDirWithSecrets(dir: string): Promise<{ key: string; db: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const key = join(dir, 'peer.key')
  const db = join(dir, 'store.db')
  await writeFile(key, 'the peer key')
  await writeFile(db, 'the store')
  return { key, db }
}

async function probeFrom(
  t: ExecutionContext,
  cwd: string,
  probes: Probe[],
  options: { dataDir?: string; env?: NodeJS.ProcessEnv },
): Promise<ProbeResult[]> {
  const args = ['run-local', fixtureWorkload('probes-files'), '--sandbox', '--json', '--threads', '1']
  if (options.dataDir !== undefined) args.push('--data-dir', options.dataDir)
  args.push('--params', JSON.stringify({ probes }))
  const run = await p2pc(args, { cwd, env: options.env })
  t.is(run.code, 0, run.stderr)
  return (JSON.parse(run.stdout) as { aggregate: ProbeResult[] }).aggregate
}

/**
 * Every probe failed: an absolute path with the sandbox's refusal; a relative one resolves in the
 * sandbox's own working directory, an empty folder, where it finds nothing.
 */
function assertNothingRead(t: ExecutionContext, results: ProbeResult[], outside: string[]): void {
  for (const result of results) {
    const what = JSON.stringify(result.probe)
    const path = typeof result.probe === 'string' ? result.probe : result.probe.path
    if (isAbsolute(path)) t.is(result.error, 'ERR_ACCESS_DENIED', `${what} was not denied`)
    else t.true(result.read === undefined || isEmptyList(result.read), `${what} read ${String(result.read)}`)
    for (const folder of outside) {
      t.false(contains(folder, result.cwd), `the sandbox works in ${result.cwd}, inside ${folder}`)
    }
  }
}

test('started in /, the sandbox reads neither /etc/passwd nor the data dir', async (t) => {
  const dataDir = join(await temporaryDir(t), 'data')
  const { key, db } = await dataDirWithSecrets(dataDir)
  const probes: Probe[] = [
    '/etc/passwd',
    '/',
    dataDir,
    key,
    db,
    'etc/passwd',
    '.',
    '..',
    '../../etc/passwd',
    relative('/', key),
    { chdir: '/', path: 'etc/passwd' },
  ]
  const results = await probeFrom(t, '/', probes, { dataDir })
  t.is(results.length, probes.length)
  assertNothingRead(t, results, [dataDir])
  t.not(results[0]!.cwd, '/')
  t.is(results.at(-1)!.error, 'ERR_WORKER_UNSUPPORTED_OPERATION', 'a worker cannot change directory')
})

test('started in $HOME, the sandbox reads nothing of the home folder nor of its data dir', async (t) => {
  const home = await temporaryDir(t)
  // The default data dir, under the home folder.
  const dataDir = join(home, '.local', 'share', 'p2pc')
  const { key, db } = await dataDirWithSecrets(dataDir)
  await writeFile(join(home, '.bashrc'), 'export TOKEN=secret')
  const probes: Probe[] = [
    '/etc/passwd',
    home,
    join(home, '.bashrc'),
    dataDir,
    key,
    db,
    '.bashrc',
    '.',
    relative(home, key),
    relative(home, db),
    { chdir: home, path: '.bashrc' },
  ]
  const env = { HOME: home, P2PC_HOME: '', XDG_DATA_HOME: '' }
  const results = await probeFrom(t, home, probes, { env })
  t.is(results.length, probes.length)
  assertNothingRead(t, results, [home])
})

test('started in its data dir, the sandbox reads neither peer.key nor store.db', async (t) => {
  const dataDir = await temporaryDir(t)
  const { key, db } = await dataDirWithSecrets(dataDir)
  const probes: Probe[] = [
    '/etc/passwd',
    dataDir,
    key,
    db,
    'peer.key',
    'store.db',
    '.',
    'bundles/../peer.key',
    `../${relative(join(dataDir, '..'), key)}`,
    { chdir: dataDir, path: 'peer.key' },
  ]
  const results = await probeFrom(t, dataDir, probes, { dataDir })
  t.is(results.length, probes.length)
  assertNothingRead(t, results, [dataDir])
})

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0
}

/** Whether `folder` is `path` or holds it. */
function contains(folder: string, path: string): boolean {
  const rest = relative(folder, path)
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest))
}
