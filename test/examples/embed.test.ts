import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import test from 'ava'
import { runLocalAggregate } from '../helpers/cli.ts'
import { repoRoot, temporaryDir, workloadDir } from '../helpers/paths.ts'

const PARAMS = '{"upTo": 1000000, "chunk": 100000}'

test('examples/embed, run as its own process, prints the aggregate that run-local computes', async (t) => {
  const example = join(repoRoot, 'examples', 'embed', 'src', 'main.ts')
  const { stdout } = await promisify(execFile)(process.execPath, [example, PARAMS], { timeout: 120_000 })
  t.deepEqual(
    JSON.parse(stdout),
    await runLocalAggregate(workloadDir('primes'), PARAMS, await temporaryDir(t)),
  )
  t.deepEqual(JSON.parse(stdout), { count: 78498 })
})
