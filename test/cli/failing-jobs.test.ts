// Jobs whose tasks fail end, on a real swarm of `p2pc` processes (a node and two contributors):
// with partial results, a non-zero exit and one sentence per failed task, and with the same
// words `run-local` uses for the same failure.
import test, { type ExecutionContext } from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { startCliSwarm } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

/** `publish --wait` and `results` exit with this once a job ended with failed tasks. */
const FAILED_TASKS_EXIT_CODE = 3
const WAIT_MS = 180_000

interface Printed {
  status: string
  tasks: { total: number; validated: number; failed: number; pending: number }
  aggregate: unknown
  failures: Array<{ index: number; reason: string; cause: string; errors: string[]; outputHashes: string[] }>
}

// One swarm for every job of the file: the hooks' context does not end it, so the last hook does.
const teardowns: Array<() => unknown> = []
const hooks = { teardown: (fn: () => unknown) => void teardowns.push(fn) } as unknown as ExecutionContext
let nodeDir = ''
test.before(async () => {
  ;({ nodeDir } = await startCliSwarm(hooks, await temporaryDir(hooks), 2))
})
test.after.always(async () => {
  for (const teardown of teardowns.reverse()) await teardown()
})

/** Publishes a fixture workload with a quorum of two on the swarm and waits for its end. */
async function publishAndWait(fixture: string, extra: string[] = [], json = true) {
  return p2pc(
    [
      'publish',
      fixtureWorkload(fixture),
      '--quorum',
      '2',
      ...extra,
      '--wait',
      '--data-dir',
      nodeDir,
      ...(json ? ['--json'] : []),
    ],
    { timeoutMs: WAIT_MS },
  )
}

/** The message `run-local` fails with on the same workload. */
async function runLocalError(t: Parameters<typeof temporaryDir>[0], fixture: string, params = '{}') {
  const local = await p2pc([
    'run-local',
    fixtureWorkload(fixture),
    '--params',
    params,
    '--data-dir',
    await temporaryDir(t),
  ])
  t.not(local.code, 0)
  return local.stderr.trim()
}

test('a task that throws on every machine fails, and the job ends with the others: exit 3, one sentence, reduce told', async (t) => {
  const published = await publishAndWait('fails-one', [], false)
  t.is(published.code, FAILED_TASKS_EXIT_CODE, published.stderr)
  const reason = 'a quorum of peers failed it the same way: RangeError: two is not allowed'
  t.true(published.stderr.includes('1 of 3 tasks failed, and the aggregate leaves it out:'), published.stderr)
  t.true(published.stderr.includes(`  task 1: ${reason}`), published.stderr)
  t.deepEqual(JSON.parse(published.stdout), { outputs: [10, 30], failed: [{ index: 1, input: 2, reason }] })

  const jobId = /published (\S+)/.exec(published.stderr)![1]!
  const results = await p2pc(['results', jobId, '--json', '--data-dir', nodeDir])
  t.is(results.code, FAILED_TASKS_EXIT_CODE, results.stderr)
  const printed = JSON.parse(results.stdout) as Printed
  t.deepEqual(printed.tasks, { total: 3, validated: 2, failed: 1, pending: 0 })
  t.deepEqual(printed.failures, [
    { index: 1, reason, cause: 'same-error', errors: ['RangeError: two is not allowed'], outputHashes: [] },
  ])
  t.true((await runLocalError(t, 'fails-one')).endsWith('task 1: RangeError: two is not allowed'))
})

test('an output the schema rejects fails its task on the swarm, in the words run-local uses', async (t) => {
  const published = await publishAndWait('wrong-output')
  t.is(published.code, FAILED_TASKS_EXIT_CODE, published.stderr + published.stdout)
  const printed = JSON.parse(published.stdout) as Printed
  t.deepEqual(printed.tasks, { total: 1, validated: 0, failed: 1, pending: 0 })
  const error = "the workload's output schema rejects the output: must be integer"
  t.deepEqual(printed.failures[0]?.errors, [error])
  t.true((await runLocalError(t, 'wrong-output')).endsWith(`task 0: ${error}`))
})

for (const [kind, problem] of [
  ['nan', '(root) is a non-finite number'],
  ['undefined', '(root) is undefined'],
]) {
  test(`an output that is not plain JSON (${kind}) fails its task on the swarm, in the words run-local uses`, async (t) => {
    const published = await publishAndWait('unencodable', ['--params', JSON.stringify({ kind })])
    // With --json an error is printed on stdout.
    t.is(published.code, FAILED_TASKS_EXIT_CODE, published.stderr + published.stdout)
    const printed = JSON.parse(published.stdout) as Printed
    t.deepEqual(printed.tasks, { total: 2, validated: 1, failed: 1, pending: 0 })
    const error = `the output is not plain JSON: ${problem}`
    t.like(printed.failures[0], { index: 1, cause: 'same-error', errors: [error] })
    t.true((await runLocalError(t, 'unencodable', JSON.stringify({ kind }))).endsWith(`task 1: ${error}`))
  })
}

test('a run that is not a pure function fails once maxReplicas results disagree, naming the disagreement', async (t) => {
  const published = await publishAndWait('random-output', ['--max-replicas', '2'])
  t.is(published.code, FAILED_TASKS_EXIT_CODE, published.stderr + published.stdout)
  const printed = JSON.parse(published.stdout) as Printed
  t.deepEqual(printed.tasks, { total: 2, validated: 1, failed: 1, pending: 0 })
  const [failure] = printed.failures
  t.is(failure?.index, 1)
  t.is(failure?.cause, 'no-quorum')
  t.is(failure?.outputHashes.length, 2)
  t.is(failure?.reason, '2 results and no quorum of them agree (2 different outputs)')
})
