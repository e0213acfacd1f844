import { spawn, spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs } from '../helpers/cli-process.ts'
import { fixtureWorkload, repoRoot, temporaryDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'

const badInputs: Array<[string, string[], RegExp]> = [
  ['a CPU cap of 0', ['--max-cpu', '0'], /^p2pc: --max-cpu must be a percentage from 1 to 100, not "0"$/],
  ['a CPU cap in words', ['--max-cpu', 'half'], /^p2pc: --max-cpu must be a percentage from 1 to 100/],
  [
    'an idle load above 1',
    ['--idle-only', '--idle-load', '2'],
    /^p2pc: --idle-load must be a fraction from 0 to 1, such as 0.25, not "2"$/,
  ],
  [
    'an idle load without --idle-only',
    ['--idle-load', '0.5'],
    /^p2pc: --idle-load sets the load of --idle-only/,
  ],
  [
    'an unknown battery policy',
    ['--on-battery', 'maybe'],
    /^p2pc: Expected --on-battery=maybe to be one of: pause, run$/,
  ],
  [
    'an unknown priority',
    ['--priority', 'high'],
    /^p2pc: Expected --priority=high to be one of: lowest, low, normal$/,
  ],
  ['a task timeout without a unit', ['--task-timeout', '5'], /^p2pc: "5" is not a duration/],
  ['a memory limit of 0', ['--memory', '0'], /^p2pc: --memory must be a positive integer, not "0"$/],
]

for (const [what, flags, expected] of badInputs) {
  test(`contribute with ${what}: one sentence on stderr, a non-zero exit, no peer started`, async (t) => {
    const home = await temporaryDir(t)
    const run = await p2pc(['contribute', ...flags], { env: { P2PC_HOME: home } })
    t.not(run.code, 0)
    t.is(run.stdout, '')
    t.regex(run.stderr.trim(), expected)
    t.is(run.stderr.trim().split('\n').length, 1)
    t.deepEqual(await readdir(home), [], 'nothing was written to the data dir')
  })
}

// `script` gives the contributor a terminal, where it draws its live status block.
const scriptMissing = spawnSync('script', ['--version']).status === 0 ? undefined : 'no script(1)'

const liveBlock = async (t: ExecutionContext): Promise<void> => {
  t.timeout(120_000)
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const command = [process.execPath, join(repoRoot, 'bin', 'run.js')]
    .concat(contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
    .map((arg) => `'${arg}'`)
    .join(' ')
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  let screen = ''
  child.stdout.setEncoding('utf8')
  const summaries: string[] = []
  const seen = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      screen += chunk
      // eslint-disable-next-line no-control-regex
      const lines = screen.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n|\r/)
      summaries.splice(0, Infinity, ...lines.filter((line) => line.startsWith('peers ')))
      const task = lines.find((line) => /^ {2}task \d+ of job …\S+ {2}\d+s {2}\d+% {2}eta \d+s$/.test(line))
      if (task !== undefined) resolve(task)
    })
    child.once('exit', () => reject(new Error(`contribute ended: ${screen}`)))
  })
  await publisher.publish(
    fixtureWorkload('reports-progress'),
    { tasks: 3, steps: 5, ms: 1000 },
    { quorum: 1, maxReplicas: 1 },
  )
  t.log(await seen)
  t.true(summaries.length > 0)
  for (const line of summaries) t.notRegex(line, /running [2-9]/, 'one thread runs one task at most')
  t.true(
    summaries.some((line) => / running 1 /.test(line)),
    summaries.join('\n'),
  )
}

const liveTitle =
  "contribute's live status on a terminal: one task running on one thread, with its progress and an estimate"
if (scriptMissing === undefined) test(liveTitle, liveBlock)
else test.skip(`${liveTitle} (skipped: ${scriptMissing})`, liveBlock)
