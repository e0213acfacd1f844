import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { sandboxDeniesNetwork } from '@p2pc/runtime'
import { p2pc } from '../helpers/cli.ts'
import { fixtureWorkload, temporaryDir, workloadDir } from '../helpers/paths.ts'

async function env(t: Parameters<typeof temporaryDir>[0]): Promise<NodeJS.ProcessEnv> {
  return { P2PC_HOME: await temporaryDir(t) }
}

test('--json prints only the workload, the task count and the aggregate', async (t) => {
  const run = await p2pc(
    ['run-local', workloadDir('primes'), '--params', '{"upTo": 1000000, "chunk": 250000}', '--json'],
    { env: await env(t) },
  )
  t.is(run.code, 0, run.stderr)
  const printed = JSON.parse(run.stdout)
  t.deepEqual(Object.keys(printed), ['workload', 'tasks', 'aggregate'])
  t.deepEqual(printed.aggregate, { count: 78498 })
  t.is(printed.tasks, 4)
  t.is(printed.workload.name, '@p2pc/workload-primes')
  t.regex(printed.workload.cid, /^bafkrei[a-z2-7]+$/)
  t.is(run.stderr, '')
})

test('params can come from a file', async (t) => {
  const dir = await temporaryDir(t)
  const file = `${dir}/params.json`
  await writeFile(file, '{"n": 3}')
  const run = await p2pc(['run-local', fixtureWorkload('squares'), '--params', `@${file}`, '--json'], {
    env: await env(t),
  })
  t.is(run.code, 0, run.stderr)
  t.deepEqual(JSON.parse(run.stdout).aggregate, { sum: 5, count: 3 })
})

const badInputs: Array<[string, string[], RegExp]> = [
  [
    'a folder without package.json',
    ['run-local', fixtureWorkload('no-package-json')],
    /has no package\.json/,
  ],
  ['an entry that lacks reduce', ['run-local', fixtureWorkload('lacks-reduce')], /lacks reduce/],
  [
    'params that fail the schema',
    ['run-local', fixtureWorkload('squares'), '--params', '{"n": 0}'],
    /params schema rejects the params at \/n: must be >= 1/,
  ],
  ['a run that throws', ['run-local', fixtureWorkload('throws')], /task 1: RangeError: two is not allowed/],
  [
    'a workload that imports a Node built-in',
    ['run-local', fixtureWorkload('imports-node')],
    /^p2pc: cannot bundle .*index\.js: it imports "node:fs" \(index\.js:1\), but Node\.js built-ins are not available to workloads, /,
  ],
  [
    'a reduce that throws',
    ['run-local', fixtureWorkload('reduce-throws')],
    /^p2pc: the reduce of workload reduce-throws failed: TypeError: Cannot read properties of undefined \(reading 'value'\)$/,
  ],
  [
    'a run that never returns, with --task-timeout',
    ['run-local', fixtureWorkload('never-returns'), '--task-timeout', '300ms'],
    /task 0: the task did not finish within 300 ms/,
  ],
  [
    'malformed JSON params',
    ['run-local', fixtureWorkload('squares'), '--params', '{n'],
    /--params is not valid JSON/,
  ],
  [
    'a bad duration',
    ['run-local', fixtureWorkload('squares'), '--task-timeout', '5 parsecs'],
    /not a duration/,
  ],
  [
    'a bad thread count',
    ['run-local', fixtureWorkload('squares'), '--threads', '0'],
    /--threads must be a positive/,
  ],
]

for (const [what, args, expected] of badInputs) {
  test(`${what}: one sentence on stderr, no stack, exit 1`, async (t) => {
    const run = await p2pc(args, { env: await env(t) })
    t.is(run.code, 1)
    t.is(run.stdout, '')
    const lines = run.stderr.trim().split('\n')
    const last = lines.at(-1) ?? ''
    t.regex(last, /^p2pc: /)
    t.regex(last, expected)
    t.notRegex(run.stderr, /\n\s+at /, 'no stack trace')
  })
}

test('with --json an error is a JSON object on stdout', async (t) => {
  const run = await p2pc(['run-local', fixtureWorkload('throws'), '--json'], { env: await env(t) })
  t.is(run.code, 1)
  t.deepEqual(JSON.parse(run.stdout), {
    error: { name: 'TaskFailedError', message: 'task 1: RangeError: two is not allowed' },
  })
})

test('--sandbox runs the tasks in the sandbox and prints the same aggregate', async (t) => {
  const run = await p2pc(
    ['run-local', fixtureWorkload('squares'), '--params', '{"n": 5}', '--sandbox', '-q'],
    {
      env: await env(t),
    },
  )
  t.is(run.code, 0, run.stderr)
  t.deepEqual(JSON.parse(run.stdout), { sum: 30, count: 5 })
  t.regex(run.stderr, /^squares 1\.0\.0 \(bafkrei[a-z2-7]+\): 5 tasks on \d+ threads? in the sandbox\n/)
  t.is(run.stderr.includes('the sandbox cannot deny network access'), !sandboxDeniesNetwork())
})

test('--sandbox: a workload reading a file outside its folder fails in one sentence naming the denial', async (t) => {
  const secret = join(await temporaryDir(t), 'secret.txt')
  await writeFile(secret, 'the secret')
  const params = JSON.stringify({ paths: [secret] })
  const run = await p2pc(['run-local', fixtureWorkload('reads-file'), '--params', params, '--sandbox'], {
    env: await env(t),
  })
  t.is(run.code, 1)
  t.is(run.stdout, '')
  t.is(
    run.stderr.trim().split('\n').at(-1),
    'p2pc: task 0: Error: the sandbox denied FileSystemRead (ERR_ACCESS_DENIED)',
  )
  t.notRegex(run.stderr, /the secret/)
  t.notRegex(run.stderr, /\n\s+at /, 'no stack trace')
})

test('an old Node gets one sentence, not a stack trace', async (t) => {
  const pretendOld = "Object.defineProperty(process.versions, 'node', { value: '20.11.1' })"
  const run = await p2pc(['--version'], { nodeArgs: ['--import', `data:text/javascript,${pretendOld}`] })
  t.is(run.code, 1)
  t.is(
    run.stderr,
    'p2pc needs Node.js 22.13 or newer, and this is Node.js 20.11.1; install a current Node.js, or run p2pc with npm from its repository, which pins one.\n',
  )
})

test('--replicas 2 runs every task twice in workers of their own and names a task whose runs disagree', async (t) => {
  const run = await p2pc(['run-local', fixtureWorkload('random-output'), '--replicas', '2', '-q'], {
    env: await env(t),
  })
  t.is(run.code, 1)
  t.regex(
    run.stderr,
    /^p2pc: task 1 is not a pure function of its input: two runs in separate workers gave 0\.\d+ and 0\.\d+; on the swarm its results would not agree, and it would fail once --max-replicas of them disagree\n$/m,
  )
  const once = await p2pc(['run-local', fixtureWorkload('random-output'), '--json'], { env: await env(t) })
  t.is(once.code, 0, 'one run cannot see it')
})

test('--replicas 2 of a pure workload gives the aggregate of one run', async (t) => {
  const run = await p2pc(
    ['run-local', fixtureWorkload('squares'), '--params', '{"n": 3}', '--replicas', '2', '--json'],
    {
      env: await env(t),
    },
  )
  t.is(run.code, 0, run.stderr)
  t.deepEqual(JSON.parse(run.stdout).aggregate, { sum: 5, count: 3 })
})
