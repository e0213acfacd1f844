import test from 'ava'
import { runInline } from '@p2pc/sdk'
import type { TaskContext } from '@p2pc/sdk'
import pi from '../../workloads/pi/src/index.ts'
import type { PiInput, PiOutput } from '../../workloads/pi/src/index.ts'

function context(signal = new AbortController().signal): TaskContext {
  return {
    signal,
    progress() {},
    log() {},
    async checkpoint() {},
    async restore() {
      return undefined
    },
  }
}

const plan = (params: object): PiInput[] => [...(pi.plan(params) as Iterable<PiInput>)]
const run = (input: PiInput): PiOutput => pi.run(input, context()) as PiOutput

test('a task is a pure function of its input', (t) => {
  const input = { seed: 'a', samples: 100_000 }
  const output = run(input)
  t.deepEqual(run({ ...input }), output)
  t.is(output.samples, 100_000)
  // With 10⁵ samples an estimate is a multiple of 4 / 10⁵.
  t.is(Math.round((output.estimate * 100_000) / 4) * 4, output.estimate * 100_000)
  const others = ['b', 'c', 'd'].map((seed) => run({ ...input, seed }).estimate)
  t.is(new Set([output.estimate, ...others]).size, 4)
})

test('the default job estimates π within a few standard errors', async (t) => {
  const { tasks, aggregate } = await runInline(pi, {})
  t.is(tasks, 16)
  t.is(aggregate.samples, 10_000_000)
  // The standard error of the estimate is 4 √(p (1 − p) / n) ≈ 5.2 × 10⁻⁴ for n = 10⁷.
  t.true(Math.abs(aggregate.estimate - Math.PI) < 0.003, `estimate ${aggregate.estimate}`)
  t.not(aggregate.estimate, Math.PI)
})

test('one task of 10⁶ samples lands near π', (t) => {
  const { estimate } = run({ seed: 'million', samples: 1_000_000 })
  t.true(Math.abs(estimate - Math.PI) < 0.008, `estimate ${estimate}`)
})

test('plan splits the samples exactly, one derived seed per task', (t) => {
  const inputs = plan({ samples: 1003, tasks: 4, seed: 's' })
  t.deepEqual(
    inputs.map((input) => input.samples),
    [251, 251, 251, 250],
  )
  t.deepEqual(
    inputs.map((input) => input.seed),
    ['s/0', 's/1', 's/2', 's/3'],
  )
  t.is(plan({ samples: 3, tasks: 16 }).length, 3)
  const defaults = plan({})
  t.is(defaults.length, 16)
  t.is(
    defaults.reduce((sum, input) => sum + input.samples, 0),
    10_000_000,
  )
  t.not(plan({ seed: 'x' })[0]!.seed, defaults[0]!.seed)
})

test('reduce weighs each estimate by its samples', async (t) => {
  const input = { seed: 's', samples: 1 }
  const aggregate = await pi.reduce(
    [
      { index: 0, input, output: { samples: 100, estimate: 3 } },
      { index: 1, input, output: { samples: 300, estimate: 3.2 } },
    ],
    {},
    [],
  )
  t.is(aggregate.samples, 400)
  t.true(Math.abs(aggregate.estimate - 3.15) < 1e-12)
})

test('the aggregate matches a direct count over the same seeds', async (t) => {
  const params = { samples: 200_000, tasks: 5, seed: 'direct' }
  const { aggregate } = await runInline(pi, params)
  const outputs = plan(params).map(run)
  const inside = outputs.reduce((sum, output) => sum + Math.round((output.estimate * output.samples) / 4), 0)
  t.true(Math.abs(aggregate.estimate - (4 * inside) / 200_000) < 1e-12)
})

test('equals forgives rounding noise but not a different count', (t) => {
  const equals = pi.equals!
  const output = run({ seed: 'eq', samples: 1_000_000 })
  t.true(equals(output, { ...output }))
  t.true(equals(output, { ...output, estimate: output.estimate * (1 + Number.EPSILON) }))
  t.true(equals(output, { ...output, estimate: output.estimate + 1e-13 }))
  // One hit more or less out of 10⁶ samples.
  t.false(equals(output, { ...output, estimate: output.estimate + 4 / 1_000_000 }))
  t.false(equals(output, { ...output, estimate: output.estimate - 4 / 1_000_000 }))
  t.false(equals(output, { ...output, estimate: 3 }))
  t.false(equals(output, { ...output, samples: 999_999 }))
})

test('an aborted task stops with the abort reason', (t) => {
  const controller = new AbortController()
  controller.abort(new Error('deadline'))
  t.throws(() => pi.run({ seed: 's', samples: 1e12 }, context(controller.signal)), { message: 'deadline' })
})
