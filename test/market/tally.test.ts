import test from 'ava'
import fc from 'fast-check'
import { distinctResults, replicasNeeded, tallyTask, taskTarget } from '@p2pc/market'
import type { ResultEnvelope, TallyRules } from '@p2pc/market'
import type { Json } from '@p2pc/protocol'
import { arrivalOrder, failure, peer, plain, result, resultByCid } from './fixtures.ts'

const JOB = 'bafyreiexamplejob'
const RULES: TallyRules = { quorum: 2, maxReplicas: 4, maxErrors: 2 }

function vote(signer: number, output: Json, durationMs = 100): ResultEnvelope {
  return plain(peer(signer), result(JOB, 0, output, durationMs))
}

function fails(signer: number, error: string): ResultEnvelope {
  return plain(peer(signer), failure(JOB, 0, error))
}

test('no results: pending, target = quorum, nothing settled', (t) => {
  const tally = tallyTask([], RULES)
  t.is(tally.status, 'pending')
  t.is(tally.target, 2)
  t.is(tally.distinct, 0)
  t.is(replicasNeeded(tally, 0), 2)
  t.is(replicasNeeded(tally, 1), 1)
  t.is(replicasNeeded(tally, 5), 0)
})

test('a class with quorum signers validates; others are errors of their signers', (t) => {
  const tally = tallyTask([vote(1, 7), vote(2, 8), vote(3, 7)], RULES)
  t.is(tally.status, 'validated')
  t.is(tally.output, 7)
  t.deepEqual(tally.valid, [peer(1), peer(3)])
  t.deepEqual(tally.invalid, [peer(2)])
  t.is(replicasNeeded(tally, 0), 0)
})

test('one signer repeating itself never makes a quorum', (t) => {
  const a = plain(peer(1), result(JOB, 0, 7, 100))
  const b = plain(peer(1), result(JOB, 0, 7, 101))
  const tally = tallyTask([a, b, a], RULES)
  t.is(tally.status, 'pending')
  t.is(tally.distinct, 1)
})

test('equivocation: of two results by one signer, the smaller envelope id counts', (t) => {
  const x = plain(peer(1), result(JOB, 0, 1))
  const y = plain(peer(1), result(JOB, 0, 2))
  const smaller = x.id < y.id ? x : y
  t.deepEqual(distinctResults([x, y]), [smaller])
  t.deepEqual(distinctResults([y, x]), [smaller])
  const other = vote(2, smaller.message.output as Json)
  t.is(tallyTask([x, y, other], RULES).status, 'validated')
  t.is(tallyTask([y, other, x], RULES).outputHash, smaller.message.outputHash)
})

test('two classes at quorum: the larger wins, then the smaller outputHash', (t) => {
  const rules = { quorum: 2, maxReplicas: 8, maxErrors: 8 }
  const larger = tallyTask([vote(1, 'a'), vote(2, 'a'), vote(3, 'b'), vote(4, 'b'), vote(5, 'b')], rules)
  t.is(larger.output, 'b')
  const tied = tallyTask([vote(1, 'a'), vote(2, 'a'), vote(3, 'b'), vote(4, 'b')], rules)
  const smallest = [vote(1, 'a'), vote(3, 'b')].map((r) => r.message.outputHash).sort()[0]
  t.is(tied.outputHash, smallest)
  t.is(tied.valid.length, 2)
  t.is(tied.invalid.length, 2)
})

test('maxReplicas results without quorum fail the task as nondeterministic', (t) => {
  const rules = { quorum: 2, maxReplicas: 3, maxErrors: 10 }
  t.is(tallyTask([vote(1, 1), vote(2, 2)], rules).status, 'pending')
  const failed = tallyTask([vote(1, 1), vote(2, 2), vote(3, 3)], rules)
  t.is(failed.status, 'failed')
  t.deepEqual(failed.valid, [])
  t.deepEqual(failed.invalid, [])
  t.is(replicasNeeded(failed, 0), 0)
})

test('more than maxErrors disagreeing results fail the task', (t) => {
  const rules = { quorum: 3, maxReplicas: 10, maxErrors: 1 }
  t.is(tallyTask([vote(1, 1), vote(2, 1), vote(3, 2)], rules).status, 'pending')
  t.is(tallyTask([vote(1, 1), vote(2, 1), vote(3, 2), vote(4, 3)], rules).status, 'failed')
})

test('quorum signers failing the same way fail the task, with their error kept', (t) => {
  const tally = tallyTask([fails(1, 'RangeError: n < 0'), fails(2, 'RangeError: n < 0')], RULES)
  t.is(tally.status, 'failed')
  t.deepEqual(tally.failure, { cause: 'same-error', errors: ['RangeError: n < 0'], outputHashes: [] })
  t.deepEqual(tally.valid, [])
  t.is(replicasNeeded(tally, 0), 0)
})

test('one failure is an error that raises the target, not yet a failed task', (t) => {
  const tally = tallyTask([fails(1, 'boom')], RULES)
  t.is(tally.status, 'pending')
  t.is(tally.target, 3)
  t.is(tally.failure, undefined)
})

test('different errors never agree: the task fails once the errors pass maxErrors', (t) => {
  const rules = { quorum: 2, maxReplicas: 10, maxErrors: 2 }
  t.is(tallyTask([fails(1, 'a'), fails(2, 'b')], rules).status, 'pending')
  const tally = tallyTask([fails(1, 'a'), fails(2, 'b'), fails(3, 'c')], rules)
  t.deepEqual(tally.failure, { cause: 'too-many-errors', errors: ['a', 'b', 'c'], outputHashes: [] })
})

test('an output agreed by a quorum wins over a failure agreed by a quorum, and the failures are errors', (t) => {
  const tally = tallyTask([fails(1, 'boom'), fails(2, 'boom'), vote(3, 7), vote(4, 7)], {
    ...RULES,
    maxReplicas: 8,
  })
  t.is(tally.status, 'validated')
  t.deepEqual(tally.invalid, [peer(1), peer(2)])
})

test('a failure never joins a class of outputs, even when equals would say yes to anything', (t) => {
  const tally = tallyTask([vote(1, 7), fails(2, 'boom')], { ...RULES, equals: () => true })
  t.is(tally.status, 'pending')
  t.is(tally.largest, 1)
})

test('no quorum after maxReplicas results: the failure names the disagreeing outputs', (t) => {
  const rules = { quorum: 2, maxReplicas: 3, maxErrors: 10 }
  const tally = tallyTask([vote(1, 1), vote(2, 2), fails(3, 'boom')], rules)
  t.is(tally.failure?.cause, 'no-quorum')
  t.deepEqual(tally.failure?.errors, ['boom'])
  t.deepEqual(tally.failure?.outputHashes, [vote(1, 1), vote(2, 2)].map((r) => r.message.outputHash).sort())
})

test('failures of signers without standing fail nothing unless they agree', (t) => {
  const context = { hasStanding: () => false }
  const rules = { quorum: 2, maxReplicas: 3, maxErrors: 0 }
  t.is(tallyTask([fails(1, 'a'), fails(2, 'b'), fails(3, 'c')], rules, context).status, 'pending')
  t.is(tallyTask([fails(1, 'a'), fails(2, 'a')], rules, context).status, 'failed')
})

test('a quorum validates even past maxErrors: the outcome depends on the set, not on the order', (t) => {
  const rules = { quorum: 2, maxReplicas: 10, maxErrors: 1 }
  t.is(tallyTask([vote(1, 1), vote(2, 2), vote(3, 3), vote(4, 1)], rules).status, 'validated')
})

test('target: quorum plus one per disagreeing result, capped at maxReplicas', (t) => {
  t.is(taskTarget(0, 0, RULES), 2)
  t.is(taskTarget(2, 1, RULES), 3)
  t.is(taskTarget(3, 1, RULES), 4)
  t.is(taskTarget(5, 1, RULES), 4)
  const tally = tallyTask([vote(1, 1), vote(2, 2)], RULES)
  t.is(tally.target, 3)
  t.is(replicasNeeded(tally, 0), 1)
})

test('credit: the lower median of the winning durations, so no signer inflates its own', (t) => {
  const pair = tallyTask([vote(1, 1, 100), vote(2, 1, 1_000_000)], RULES)
  t.is(pair.creditMs, 100)
  const rules = { quorum: 3, maxReplicas: 5, maxErrors: 2 }
  t.is(
    tallyTask([vote(1, 1, 100), vote(2, 1, 1_000_000), vote(3, 1, 200), vote(4, 2, 5)], rules).creditMs,
    200,
  )
})

test("credit: however many signers claim an absurd duration, a result earns at most the job's lease", (t) => {
  const rules = { ...RULES, maxCreditMs: 60_000 }
  const copies = [1, 2, 3, 4, 5].map((n) => vote(n, 1, 26_611_200_000))
  t.is(tallyTask([...copies, vote(6, 1, 800)], rules).creditMs, 60_000)
  t.is(tallyTask([vote(6, 1, 800), vote(7, 1, 900)], rules).creditMs, 800)
})

test('an output by CID agrees with the same output inline, and the tally returns the inline one', (t) => {
  const tally = tallyTask([plain(peer(1), resultByCid(JOB, 0, { x: 1 })), vote(2, { x: 1 })], RULES)
  t.is(tally.status, 'validated')
  t.deepEqual(tally.output, { x: 1 })
  const byCidOnly = tallyTask(
    [plain(peer(1), resultByCid(JOB, 0, 5)), plain(peer(2), resultByCid(JOB, 0, 5))],
    RULES,
  )
  t.is(byCidOnly.status, 'validated')
  t.is(byCidOnly.output, undefined)
  t.is(typeof byCidOnly.outputHash, 'string')
})

test('equals groups tolerant outputs; results by CID only match by hash', (t) => {
  const close = (a: Json, b: Json) => Math.abs((a as number) - (b as number)) < 0.01
  const rules = { ...RULES, equals: close }
  const tally = tallyTask([vote(1, 1.0), vote(2, 1.001)], rules)
  t.is(tally.status, 'validated')
  t.is(tally.valid.length, 2)
  t.is(tallyTask([vote(1, 1.0), vote(2, 1.001)], RULES).status, 'pending')
  t.is(tallyTask([vote(1, 1.0), plain(peer(2), resultByCid(JOB, 0, 1.001))], rules).status, 'pending')
  const throwing = { ...RULES, equals: () => { throw new Error('workload bug') } } // prettier-ignore
  t.is(tallyTask([vote(1, 1.0), vote(2, 1.001)], throwing).status, 'pending')
})

// Results of one task: signers 0..5, outputs from a small domain so that classes form (3 and 4 are
// two failures), durations vary.
const votes = fc.array(fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 4 }), fc.nat({ max: 1000 })), {
  maxLength: 12,
})
const rules = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }))
  .map(([quorum, extra, maxErrors]) => ({ quorum, maxReplicas: quorum + extra, maxErrors }))

function build(spec: Array<[number, number, number]>): ResultEnvelope[] {
  return spec.map(([signer, output, durationMs]) =>
    output >= 3
      ? plain(peer(signer), failure(JOB, 0, `error ${output}`, durationMs))
      : vote(signer, output, durationMs),
  )
}

test('property: the tally is a function of the set of results (order and duplication do not matter)', (t) => {
  fc.assert(
    fc.property(
      votes.chain((spec) => fc.tuple(fc.constant(spec), arrivalOrder(spec.length), rules)),
      ([spec, order, rule]) => {
        const results = build(spec)
        const reference = tallyTask(results, rule)
        const shuffled = tallyTask(
          order.map((i) => results[i]!),
          rule,
        )
        t.deepEqual(shuffled, reference)
      },
    ),
  )
})

test('property: a signer never counts twice for a task', (t) => {
  fc.assert(
    fc.property(votes, rules, (spec, rule) => {
      const tally = tallyTask(build(spec), rule)
      const signers = new Set(spec.map(([signer]) => signer))
      t.is(tally.distinct, signers.size)
      const counted = [...tally.valid, ...tally.invalid]
      t.is(new Set(counted).size, counted.length)
      t.true(tally.largest <= tally.distinct)
    }),
  )
})

test('property: each disagreeing result raises the target, up to maxReplicas', (t) => {
  fc.assert(
    fc.property(rules, fc.integer({ min: 1, max: 8 }), (rule, n) => {
      // n signers, all with different outputs: n − 1 disagree with the largest class.
      const results = Array.from({ length: n }, (_, i) => vote(i, `out-${i}`))
      const tally = tallyTask(results, rule)
      t.is(tally.target, Math.min(rule.maxReplicas, rule.quorum + n - 1))
      if (n > 1 && rule.maxReplicas > rule.quorum) t.true(tally.target > rule.quorum)
    }),
  )
})

test('property: reaching maxReplicas without quorum fails the task', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 6 }), fc.nat({ max: 4 }), (quorum, extra) => {
      const maxReplicas = quorum + extra
      const rule = { quorum, maxReplicas, maxErrors: 128 }
      // Pairs of agreeing results stay below a quorum of 2 only when everyone disagrees: use distinct outputs.
      const results = Array.from({ length: maxReplicas }, (_, i) => vote(i, `out-${i}`))
      t.is(tallyTask(results.slice(0, -1), rule).status, 'pending')
      t.is(tallyTask(results, rule).status, 'failed')
    }),
  )
})

test('property: with a non-transitive equals, the grouping still ignores arrival order', (t) => {
  // |a − b| ≤ 1 is not transitive (0 ~ 1 ~ 2, but not 0 ~ 2).
  const near = (a: Json, b: Json) => Math.abs((a as number) - (b as number)) <= 1
  const spec = fc.array(fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 4 }), fc.nat({ max: 9 })), {
    maxLength: 10,
  })
  fc.assert(
    fc.property(
      spec.chain((s) => fc.tuple(fc.constant(s), arrivalOrder(s.length), rules)),
      ([s, order, rule]) => {
        const results = build(s)
        const withEquals = { ...rule, equals: near }
        t.deepEqual(
          tallyTask(
            order.map((i) => results[i]!),
            withEquals,
          ),
          tallyTask(results, withEquals),
        )
      },
    ),
  )
})
