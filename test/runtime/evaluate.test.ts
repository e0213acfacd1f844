/**
 * `pool.evaluate`: a bundle's other functions, called in the pool's worker threads, through both
 * pools, with real bundles.
 */
import { setImmediate } from 'node:timers/promises'
import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  readWorkloadPackage,
  type EvaluateCall,
  type TaskPool,
  type TaskPoolInit,
} from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

const pools = {
  'in-process': (init: TaskPoolInit): TaskPool => createTaskPool(init),
  sandboxed: (init: TaskPoolInit, cache: string): TaskPool =>
    createSandboxedTaskPool({ ...init, bundleDir: cache }),
}

type Evaluate = ((name: string, call: EvaluateCall) => Promise<unknown>) & {
  pool: TaskPool
  bundle(name: string): Promise<string>
}

async function evaluator(
  t: ExecutionContext,
  kind: keyof typeof pools,
  init: TaskPoolInit = {},
): Promise<Evaluate> {
  const cache = await temporaryDir(t)
  const pool = pools[kind]({ threads: 1, ...init }, cache)
  pool.start()
  t.teardown(() => pool.stop())
  const bundle = async (name: string): Promise<string> =>
    (await bundleWorkload(await readWorkloadPackage(fixtureWorkload(name)), cache)).path
  const evaluate = async (name: string, call: EvaluateCall): Promise<unknown> =>
    pool.evaluate(await bundle(name), call)
  return Object.assign(evaluate, { pool, bundle })
}

const results = [
  { index: 0, input: 1, output: 1 },
  { index: 1, input: 2, output: 2 },
]

for (const kind of ['in-process', 'sandboxed'] as const) {
  test(`${kind}: describe gives what the workload declares, as data`, async (t) => {
    const evaluate = await evaluator(t, kind)
    t.deepEqual(await evaluate('tolerant', { fn: 'describe' }), {
      schemas: {
        params: {
          type: 'object',
          properties: { scale: { type: 'number', default: 1 }, mode: { type: 'string' } },
        },
        input: { type: 'number' },
        output: { type: 'number', minimum: 0 },
      },
      hasEquals: true,
      name: 'tolerant',
    })
    t.deepEqual(await evaluate('inspects-process', { fn: 'describe' }), { schemas: {}, hasEquals: false })
    t.is(
      (globalThis as { p2pcTolerantImported?: boolean }).p2pcTolerantImported,
      undefined,
      'not imported here',
    )
  })

  test(`${kind}: equals is the workload's, true only when it returns true`, async (t) => {
    const evaluate = await evaluator(t, kind)
    const pairs: Array<[unknown, unknown]> = [
      [1, 1.001],
      [1, 2],
      [13, 13],
      [7, 7],
    ]
    t.deepEqual(await evaluate('tolerant', { fn: 'equals', pairs }), [true, false, false, false])
    t.deepEqual(await evaluate('tolerant', { fn: 'equals', pairs: [] }), [])
  })

  test(`${kind}: without equals, outputs are equal when they are the same JSON value`, async (t) => {
    const evaluate = await evaluator(t, kind)
    const pairs: Array<[unknown, unknown]> = [
      [
        { a: 1, b: [1, { c: null }] },
        { b: [1, { c: null }], a: 1 },
      ],
      [4, 4],
      [1, '1'],
      [[1], [1, 2]],
      [null, {}],
      [{ a: 1 }, { a: 1, b: 2 }],
      [[], {}],
    ]
    t.deepEqual(await evaluate('squares', { fn: 'equals', pairs }), [
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ])
  })

  test(`${kind}: reduce gives the aggregate, and its errors come back as TaskFailedError`, async (t) => {
    const evaluate = await evaluator(t, kind)
    t.is(await evaluate('tolerant', { fn: 'reduce', results, params: { scale: 2 } }), 6)
    t.deepEqual(await evaluate('squares', { fn: 'reduce', results, params: {} }), { sum: 3, count: 2 })
    const err = await t.throwsAsync(
      evaluate('tolerant', { fn: 'reduce', results, params: { mode: 'throw' } }),
    )
    t.is(err?.name, 'TaskFailedError')
    t.is(err?.message, 'RangeError: nothing to reduce')
    t.is((err as Error & { causeName: string }).causeName, 'RangeError')
  })

  test(`${kind}: checkOutputs applies the output schema, and passes everything without one`, async (t) => {
    const evaluate = await evaluator(t, kind)
    t.deepEqual(await evaluate('tolerant', { fn: 'checkOutputs', outputs: [1, -1, 'x', 0.5] }), [
      true,
      false,
      false,
      true,
    ])
    t.deepEqual(await evaluate('squares', { fn: 'checkOutputs', outputs: [4, 1.5] }), [true, false])
    t.deepEqual(await evaluate('inspects-process', { fn: 'checkOutputs', outputs: [1, 'x', null] }), [
      true,
      true,
      true,
    ])
    const err = await t.throwsAsync(evaluate('bad-schema', { fn: 'checkOutputs', outputs: [1] }))
    t.is(err?.name, 'TaskFailedError')
    t.is((err as Error & { causeName: string }).causeName, 'InvalidWorkloadError')
    t.regex(err!.message, /output schema does not compile/)
  })

  test(`${kind}: an evaluation that runs too long is timed out`, async (t) => {
    const evaluate = await evaluator(t, kind, { taskTimeoutMs: 1000, abortGraceMs: 50 })
    const err = await t.throwsAsync(evaluate('tolerant', { fn: 'reduce', results, params: { mode: 'spin' } }))
    t.is(err?.name, 'TaskTimeoutError')
    t.is(await evaluate('tolerant', { fn: 'reduce', results, params: {} }), 3, 'the pool goes on')
  })

  test(`${kind}: an evaluation that allocates without bound hits the memory limit`, async (t) => {
    const evaluate = await evaluator(t, kind, { memoryMb: 64 })
    const err = await t.throwsAsync(
      evaluate('tolerant', { fn: 'reduce', results, params: { mode: 'allocate' } }),
    )
    t.is(err?.name, 'TaskOutOfMemoryError')
  })

  test(`${kind}: an evaluation is aborted through its signal`, async (t) => {
    const { pool, bundle } = await evaluator(t, kind, { abortGraceMs: 50 })
    const controller = new AbortController()
    const call: EvaluateCall = { fn: 'reduce', results, params: { mode: 'spin' } }
    const running = pool.evaluate(await bundle('tolerant'), call, { signal: controller.signal })
    // Past pool.evaluate's first steps: a signal aborted before the call is thrown as it is.
    await setImmediate()
    controller.abort()
    t.is((await t.throwsAsync(running))?.name, 'TaskAbortedError')
  })

  test(`${kind}: an evaluation never runs on a thread another bundle's task has run on`, async (t) => {
    const { pool, bundle } = await evaluator(t, kind)
    await pool.run({ bundle: await bundle('poisons-globals'), input: 0 })
    const call: EvaluateCall = { fn: 'reduce', results: [], params: { mode: 'globals' } }
    t.deepEqual(await pool.evaluate(await bundle('tolerant'), call), { ceil: 2, poisoned: null })
  })

  test(`${kind}: a malformed call is refused at the boundary`, async (t) => {
    const evaluate = await evaluator(t, kind)
    const calls = [
      [{ fn: 'run' }, /call\.fn must be/],
      [{ fn: 'equals', pairs: [[1]] }, /call\.pairs/],
      [{ fn: 'reduce', results: [{ input: 1 }], params: {} }, /call\.results/],
      [{ fn: 'checkOutputs', outputs: 'x' }, /call\.outputs/],
    ] as const
    for (const [call, message] of calls) {
      const err = await t.throwsAsync(evaluate('squares', call as unknown as EvaluateCall))
      t.is(err?.name, 'InvalidOptionError')
      t.regex(err!.message, message)
    }
  })
}
