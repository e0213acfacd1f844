import test from 'ava'
import { runInline } from '@p2pc/sdk'
import type { TaskContext } from '@p2pc/sdk'
import primes from '../../workloads/primes/src/index.ts'
import type { PrimesInput } from '../../workloads/primes/src/index.ts'
import { countPrimes } from '../../workloads/primes/src/sieve.ts'

/** Trial division: slow, obviously right, and shares nothing with the sieve. */
function isPrime(n: number): boolean {
  if (n < 2) return false
  if (n % 2 === 0) return n === 2
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false
  return true
}

function countByTrialDivision(from: number, to: number): number {
  let count = 0
  for (let n = from; n < to; n++) if (isPrime(n)) count++
  return count
}

function context(): TaskContext & { fractions: number[] } {
  const fractions: number[] = []
  return {
    fractions,
    signal: new AbortController().signal,
    progress: (fraction) => fractions.push(fraction),
    log() {},
    async checkpoint() {},
    async restore() {
      return undefined
    },
  }
}

const plan = (params: object): PrimesInput[] => [...(primes.plan(params) as Iterable<PrimesInput>)]

test('the default job counts the 664,579 primes below 10⁷', async (t) => {
  const { tasks, aggregate } = await runInline(primes, {})
  t.is(tasks, 10)
  t.deepEqual(aggregate, { count: 664_579 })
})

test('small jobs count the primes below upTo, not up to it', async (t) => {
  t.deepEqual((await runInline(primes, { upTo: 100 })).aggregate, { count: 25 })
  t.deepEqual((await runInline(primes, { upTo: 2 })).aggregate, { count: 0 })
  t.deepEqual((await runInline(primes, { upTo: 3 })).aggregate, { count: 1 })
  t.deepEqual((await runInline(primes, { upTo: 1 })).aggregate, { count: 0 })
  t.deepEqual((await runInline(primes, { upTo: 1_000_000 })).aggregate, { count: 78_498 })
})

test('π(10⁸) = 5,761,455 in one large task', async (t) => {
  const { tasks, aggregate } = await runInline(primes, { upTo: 100_000_000, chunk: 100_000_000 })
  t.is(tasks, 1)
  t.is(aggregate.count, 5_761_455)
})

test('small chunks give the same total as one chunk', async (t) => {
  const whole = await runInline(primes, { upTo: 1_234_567, chunk: 2_000_000 })
  const chunked = await runInline(primes, { upTo: 1_234_567, chunk: 1000 })
  t.is(whole.tasks, 1)
  t.is(chunked.tasks, 1235)
  t.is(chunked.aggregate.count, whole.aggregate.count)
  t.is(whole.aggregate.count, countByTrialDivision(0, 1_234_567))
})

test('the tasks cover [0, upTo) exactly once, in order', (t) => {
  for (const [upTo, chunk] of [
    [10_000_000, 1_000_000],
    [12_345, 1000],
    [999, 1000],
    [1000, 1000],
    [1001, 1000],
  ] as const) {
    const inputs = plan({ upTo, chunk })
    t.is(inputs.length, Math.ceil(upTo / chunk))
    t.is(inputs[0]!.from, 0)
    t.is(inputs.at(-1)!.to, upTo)
    for (const [k, { from, to }] of inputs.entries()) {
      t.true(from < to && to - from <= chunk)
      if (k > 0) t.is(from, inputs[k - 1]!.to)
    }
  }
  t.is(plan({}).length, 10)
})

test('the sieve agrees with trial division on ranges with awkward ends', (t) => {
  const ranges: Array<[number, number]> = [
    [0, 1],
    [0, 3],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [7, 8],
    [8, 9],
    [9, 10],
    [24, 30],
    [99_990, 100_010],
    [262_140, 262_150], // across a segment boundary
    [1_000_000, 1_300_001],
    [17, 17],
  ]
  for (const [from, to] of ranges)
    t.is(countPrimes(from, to), countByTrialDivision(from, to), `[${from}, ${to})`)
})

test('the sieve is right near the top of the allowed range', (t) => {
  const from = 1_000_000_000_000 - 3000
  t.is(countPrimes(from, 1_000_000_000_000), countByTrialDivision(from, 1_000_000_000_000))
  // 10¹² − 11 is prime, 10¹² − 1 = 999999 × 1000001 is not.
  t.is(countPrimes(999_999_999_989, 999_999_999_990), 1)
  t.is(countPrimes(999_999_999_999, 1_000_000_000_000), 0)
})

test('run reports progress and stops when aborted', (t) => {
  const ctx = context()
  t.deepEqual(primes.run({ from: 0, to: 600_000_000 }, ctx), { count: 31_324_703 })
  t.true(ctx.fractions.length >= 2)
  t.true(
    ctx.fractions.every(
      (fraction, k) => fraction > 0 && fraction <= 1 && fraction > (ctx.fractions[k - 1] ?? 0),
    ),
  )

  const controller = new AbortController()
  controller.abort(new Error('deadline'))
  t.throws(() => primes.run({ from: 0, to: 1_000_000_000 }, { ...context(), signal: controller.signal }), {
    message: 'deadline',
  })
})
