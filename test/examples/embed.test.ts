import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { repoRoot, temporaryDir, workloadDir } from '../helpers/paths.ts'

const PARAMS = '{"upTo": 1000000, "chunk": 100000}'

test('examples/embed, run as its own process, prints the aggregate that run-local computes', async (t) => {
  const example = join(repoRoot, 'examples', 'embed', 'src', 'main.ts')
  const { stdout } = await promisify(execFile)(process.execPath, [example, PARAMS], { timeout: 120_000 })
  const local = await p2pc([
    'run-local',
    workloadDir('primes'),
    '--params',
    PARAMS,
    '--json',
    '--data-dir',
    await temporaryDir(t),
  ])
  t.is(local.code, 0, local.stderr)
  t.deepEqual(JSON.parse(stdout), JSON.parse(local.stdout).aggregate)
  t.deepEqual(JSON.parse(stdout), { count: 78498 })
})
