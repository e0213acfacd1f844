import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { temporaryDir } from '../helpers/paths.ts'

test('init scaffolds a package that run-local runs straight away', async (t) => {
  const home = await temporaryDir(t)
  const dir = join(home, 'My Workload')
  const init = await p2pc(['init', dir], { env: { P2PC_HOME: home } })
  t.is(init.code, 0, init.stderr)
  t.deepEqual((await readdir(dir)).sort(), ['README.md', 'index.js', 'package.json'])
  const run = await p2pc(['run-local', dir, '--params', '{"n": 1000, "chunk": 100}', '--json'], {
    env: { P2PC_HOME: home },
  })
  t.is(run.code, 0, run.stderr)
  const printed = JSON.parse(run.stdout)
  t.is(printed.workload.name, 'my-workload')
  t.is(printed.tasks, 10)
  // 1² + … + n² = n(n+1)(2n+1)/6
  t.deepEqual(printed.aggregate, { n: 1000, sumOfSquares: String((1000 * 1001 * 2001) / 6) })
})

test('init refuses a folder that holds anything, and leaves it as it was', async (t) => {
  const dir = await temporaryDir(t)
  await writeFile(join(dir, 'notes.txt'), 'mine')
  const init = await p2pc(['init', dir])
  t.is(init.code, 1)
  t.regex(init.stderr, /^p2pc: .* is not empty/)
  t.deepEqual(await readdir(dir), ['notes.txt'])
})
