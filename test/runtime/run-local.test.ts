import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { runLocal } from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir, workloadDir } from '../helpers/paths.ts'

test('plans, runs every task in the pool and reduces in task order', async (t) => {
  const progress: number[] = []
  let planned: { tasks: number; threads: number } | undefined
  const result = await runLocal(fixtureWorkload('squares'), {
    params: { n: 10 },
    threads: 2,
    cacheDir: await temporaryDir(t),
    onPlanned: (info) => (planned = info),
    onProgress: ({ done }) => progress.push(done),
  })
  t.deepEqual(result.aggregate, { sum: 285, count: 10 })
  t.is(result.tasks, 10)
  t.is(result.workload.name, 'squares')
  t.deepEqual(planned && { tasks: planned.tasks, threads: planned.threads }, { tasks: 10, threads: 2 })
  t.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
})

test("the params schema's defaults apply", async (t) => {
  const result = await runLocal(fixtureWorkload('squares'), { cacheDir: await temporaryDir(t), threads: 1 })
  t.deepEqual(result.aggregate, { sum: 140, count: 8 })
})

test('params that fail the schema are refused before any task runs', async (t) => {
  const err = await t.throwsAsync(
    runLocal(fixtureWorkload('squares'), { params: { n: 'many' }, cacheDir: await temporaryDir(t) }),
  )
  t.is(err?.name, 'SchemaMismatchError')
  t.is(err?.message, "the workload's params schema rejects the params at /n: must be integer")
})

test('an output that fails the output schema fails its task', async (t) => {
  const err = await t.throwsAsync(
    runLocal(fixtureWorkload('wrong-output'), { cacheDir: await temporaryDir(t) }),
  )
  t.is(err?.name, 'InvalidOutputError')
  t.is(err?.message, "task 0: the workload's output schema rejects the output: must be integer")
})

// What contributors refuse to publish, run-local refuses too, in the same words (see output-rules.ts).
const NOT_JSON: Array<[kind: string, problem: string]> = [
  ['undefined', '(root) is undefined'],
  ['nan', '(root) is a non-finite number'],
  ['infinity', '/1 is a non-finite number'],
  ['function', '/f is a function'],
  ['date', '(root) is a Date, not a plain object'],
  [
    'deep',
    '/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0 is nested too deeply',
  ],
]
for (const sandbox of [false, true]) {
  for (const [kind, problem] of NOT_JSON) {
    test(`an output that is not plain JSON (${kind}) fails its task${sandbox ? ', in the sandbox too' : ''}`, async (t) => {
      const err = await t.throwsAsync(
        runLocal(fixtureWorkload('unencodable'), {
          params: { kind },
          sandbox,
          cacheDir: await temporaryDir(t),
        }),
      )
      t.is(err?.name, 'InvalidOutputError')
      t.is(err?.message, `task 1: the output is not plain JSON: ${problem}`)
    })
  }
}

test('the first failing task stops the run and is named', async (t) => {
  const err = await t.throwsAsync(
    runLocal(fixtureWorkload('throws'), { cacheDir: await temporaryDir(t), threads: 2 }),
  )
  t.is(err?.name, 'TaskFailedError')
  t.is(err?.message, 'task 1: RangeError: two is not allowed')
})

test('an entry without reduce is refused before planning', async (t) => {
  const err = await t.throwsAsync(
    runLocal(fixtureWorkload('lacks-reduce'), { cacheDir: await temporaryDir(t) }),
  )
  t.is(err?.name, 'InvalidWorkloadError')
  t.regex(err!.message, /lacks reduce; has a equals that is a string/)
})

test('primes through the pool counts π(10^6) = 78498', async (t) => {
  const result = await runLocal(workloadDir('primes'), {
    params: { upTo: 1_000_000, chunk: 100_000 },
    threads: 2,
    cacheDir: await temporaryDir(t),
  })
  t.is(result.tasks, 10)
  t.deepEqual(result.aggregate, { count: 78498 })
})

test('in the sandbox, the same run gives the same aggregate', async (t) => {
  const result = await runLocal(fixtureWorkload('squares'), {
    params: { n: 10 },
    threads: 2,
    sandbox: true,
    cacheDir: await temporaryDir(t),
  })
  t.deepEqual(result.aggregate, { sum: 285, count: 10 })
})

test('in the sandbox, a task reading outside the bundle cache fails the run; outside it, it reads', async (t) => {
  const secret = join(await temporaryDir(t), 'secret.txt')
  await writeFile(secret, 'the secret')
  const options = { params: { paths: [secret] }, threads: 1, cacheDir: await temporaryDir(t) }
  const err = await t.throwsAsync(runLocal(fixtureWorkload('reads-file'), { ...options, sandbox: true }))
  t.is(err?.name, 'TaskFailedError')
  t.is(err?.message, 'task 0: Error: the sandbox denied FileSystemRead (ERR_ACCESS_DENIED)')
  t.deepEqual((await runLocal(fixtureWorkload('reads-file'), options)).aggregate, ['the secret'])
})
