// The README tells workload authors how to install @p2pc/sdk from this repository and that Node.js
// built-ins are not available to workloads; this follows its recipe outside the repository.
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import test from 'ava'
import { runLocalAggregate } from '../helpers/cli.ts'
import { repoRoot, temporaryDir } from '../helpers/paths.ts'

const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
const { version } = JSON.parse(await readFile(join(repoRoot, 'packages', 'sdk', 'package.json'), 'utf8')) as {
  version: string
}
const tarball = `p2pc-sdk-${version}.tgz`

/** npm, run on the Node that runs the tests: the npm that started them, else the one on PATH. */
async function npm(args: string[], cwd: string): Promise<string> {
  const cli = process.env.npm_execpath
  const [file, fileArgs] = cli?.endsWith('.js') === true ? [process.execPath, [cli, ...args]] : ['npm', args]
  const { stdout } = await promisify(execFile)(file, fileArgs, { cwd, timeout: 120_000 })
  return stdout
}

/** The text of the README section that starts with `heading`, up to the next heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) return ''
  const next = readme.slice(start + heading.length + 2).search(/\n#{1,3} /)
  return next < 0 ? readme.slice(start) : readme.slice(start, start + heading.length + 2 + next)
}

test('the README says Node.js built-ins are not available to workloads', (t) => {
  const text = section('### No Node.js built-ins').replace(/\s+/g, ' ')
  t.regex(text, /Node\.js built-ins are not available to workloads/)
  t.regex(text, /`node:fs`/)
})

test('a workload outside the repository installs @p2pc/sdk as the README says, and run-local runs it', async (t) => {
  const text = section('### Installing `@p2pc/sdk`')
  t.regex(text, /npm pack -w @p2pc\/sdk --pack-destination \.\.\/my-workload/)
  t.true(text.includes(`npm install ./${tarball}`), `the README names ${tarball}`)

  const workload = join(await temporaryDir(t), 'my-workload')
  await mkdir(workload)
  await writeFile(
    join(workload, 'package.json'),
    '{"name": "my-workload", "version": "1.0.0", "type": "module"}\n',
  )
  await writeFile(
    join(workload, 'index.js'),
    [
      "import { createRandom, defineWorkload } from '@p2pc/sdk'",
      'export default defineWorkload({',
      '  plan: () => [1, 2, 3],',
      '  run: (seed) => Math.floor(createRandom(seed).next() * 1000),',
      '  reduce: (results) => results.map((result) => result.output),',
      '})',
      '',
    ].join('\n'),
  )
  await npm(['pack', '-w', '@p2pc/sdk', '--pack-destination', workload], repoRoot)
  await npm(['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`], workload)
  const manifest = JSON.parse(await readFile(join(workload, 'package.json'), 'utf8'))
  t.is(manifest.dependencies['@p2pc/sdk'], `file:${tarball}`)

  const aggregate = (await runLocalAggregate(workload, '{}', await temporaryDir(t))) as number[]
  t.is(aggregate.length, 3)
  t.true(aggregate.every((value) => Number.isInteger(value) && value >= 0 && value < 1000))
})
