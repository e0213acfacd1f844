import test from 'ava'
import fc from 'fast-check'
import { InvalidParametersError, UnknownJobError, createMarket } from '@p2pc/market'
import type { Market, MarketEnvelope, PersistAction } from '@p2pc/market'
import { jobIdOf, outputHashOf, peerIdOf } from '@p2pc/protocol'
import type { Claim, Json, Message, Result, ResultBatch, SealedEnvelope } from '@p2pc/protocol'
import {
  announce,
  arrivalOrder,
  batch,
  establish,
  inputsFor,
  keyFromSeed,
  observe,
  PUBLISHER,
  peer,
  plain,
  plainJob,
  result,
  resultByCid,
  sealed,
} from './fixtures.ts'

const READER = peer(0)

function reader(): Market {
  return createMarket({ self: READER, maxActiveClaims: 0 })
}

function claim(jobId: string, tasks: number[], leaseEnd: number): Claim {
  return { type: 'Claim', v: 1, jobId, tasks, leaseEnd }
}

test('a job from real signed envelopes: validated outputs in task order, ready for reduce', async (t) => {
  const publisherKey = await keyFromSeed(1)
  const workers = await Promise.all([2, 3, 4].map(keyFromSeed))
  const job = announce(peerIdOf(publisherKey), { taskCount: 3, quorum: 2, maxReplicas: 3 })
  const jobId = jobIdOf(job)
  const envelopes: SealedEnvelope[] = [
    await sealed(publisherKey, job),
    await sealed(publisherKey, batch(jobId, 0, 0, inputsFor(0, 3))),
  ]
  for (let task = 0; task < 3; task++) {
    for (const key of workers.slice(0, 2)) envelopes.push(await sealed(key, result(jobId, task, task * task)))
  }
  const market = createMarket<SealedEnvelope>({ self: READER, maxActiveClaims: 0 })
  for (const envelope of envelopes.reverse()) t.true(market.receive(envelope, 0))

  t.deepEqual(market.outputs(jobId), [
    { index: 0, input: { n: 0 }, outputHash: outputHashOf(0), output: 0, verified: 'quorum' },
    { index: 1, input: { n: 1 }, outputHash: outputHashOf(1), output: 1, verified: 'quorum' },
    { index: 2, input: { n: 2 }, outputHash: outputHashOf(4), output: 4, verified: 'quorum' },
  ])
  t.deepEqual(market.job(jobId)!.progress, { total: 3, validated: 3, failed: 0, pending: 0 })
  t.is(market.job(jobId)!.status, 'complete')
  // The persist actions hand back the very envelopes received, bytes included.
  const persisted = market
    .takeActions()
    .filter((a): a is PersistAction<SealedEnvelope> => a.type === 'persist')
  t.is(persisted.length, envelopes.length)
  t.true(persisted.every((a) => a.envelope.bytes instanceof Uint8Array))
})

test('receive: true for a new envelope, false for a duplicate; claims are not persisted', (t) => {
  const { jobId, job, inputs } = plainJob()
  const market = reader()
  t.true(market.receive(job, 0))
  t.false(market.receive(job, 1))
  t.true(market.receive(inputs, 0))
  t.true(market.receive(plain(peer(1), claim(jobId, [1, 2], 10_000)), 0))
  t.true(market.receive(plain(peer(1), result(jobId, 1, 'x')), 0))
  t.false(market.receive(plain(peer(1), result(jobId, 1, 'x')), 0))
  const kinds = market.takeActions().map((a) => (a.type === 'persist' ? a.envelope.message.type : a.type))
  t.deepEqual(kinds, ['JobAnnounce', 'TaskBatch', 'Result'])
  t.deepEqual(market.takeActions(), [])
})

test('a ResultBatch counts exactly as its entries sent as separate Results', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 4, quorum: 2, maxReplicas: 3 })
  const answers = (signer: number, wrongAt?: number) =>
    [0, 1, 2, 3].map((task) => result(jobId, task, task === wrongAt ? 'wrong' : task * task, 10 + task))
  const batchOf = (results: Result[]): ResultBatch => ({
    type: 'ResultBatch',
    v: 1,
    jobId,
    runtime: 'node-24/x64',
    results: results.map(({ task, outputHash, output, durationMs }) => ({
      task,
      outputHash,
      output: output!,
      durationMs,
    })),
  })
  const separate = reader()
  const batched = reader()
  for (const market of [separate, batched]) {
    market.receive(job, 0)
    market.receive(inputs, 0)
  }
  for (const [signer, wrongAt] of [
    [1, undefined],
    [2, 3],
    [3, undefined],
  ] as const) {
    const results = answers(signer, wrongAt)
    for (const r of results) separate.receive(plain(peer(signer), r), 1)
    t.true(batched.receive(plain(peer(signer), batchOf(results)), 1))
  }
  const outcome = observe(batched, jobId)
  t.deepEqual(outcome, observe(separate, jobId))
  t.is(outcome.status, 'complete')
  t.deepEqual(
    outcome.outputs!.map((o) => o.output),
    [0, 1, 4, 9],
  )
  t.is(batched.signer(peer(2)).invalid, 1, 'one wrong answer in a batch counts against its signer once')
})

test('progress and status: failed and validated tasks settle the job', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 2, quorum: 2, maxReplicas: 2 })
  const market = reader()
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.receive(plain(peer(1), result(jobId, 1, 'c')), 0)
  t.deepEqual(market.job(jobId)!.progress, { total: 2, validated: 0, failed: 0, pending: 2 })
  market.receive(plain(peer(3), result(jobId, 1, 'c')), 0)
  t.deepEqual(market.job(jobId)!.progress, { total: 2, validated: 1, failed: 0, pending: 1 })
  t.is(market.job(jobId)!.status, 'open')
  // Both now have standing in the job, so their disagreement fails the task.
  market.receive(plain(peer(1), result(jobId, 0, 'a')), 0)
  market.receive(plain(peer(3), result(jobId, 0, 'b')), 0)
  t.deepEqual(market.job(jobId)!.progress, { total: 2, validated: 1, failed: 1, pending: 0 })
  t.is(market.job(jobId)!.status, 'complete')
  t.deepEqual(
    market.outputs(jobId).map((o) => o.index),
    [1],
  )
})

test('an output carried by CID only is named by its outputHash for the driver to fetch', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1 })
  const market = reader()
  for (const e of [
    job,
    inputs,
    plain(peer(1), resultByCid(jobId, 0, 42)),
    plain(peer(2), resultByCid(jobId, 0, 42)),
  ]) {
    market.receive(e, 0)
  }
  const [output] = market.outputs(jobId)
  t.is(output!.output, undefined)
  t.is(output!.outputHash, (resultByCid(jobId, 0, 42) as { outputCid: string }).outputCid)
  t.deepEqual(output!.input, { n: 0 })
})

test('results out of range are ignored once the announce is known, and dropped when it arrives', (t) => {
  const { jobId, job } = plainJob({ taskCount: 2 })
  const early = reader()
  t.true(early.receive(plain(peer(1), result(jobId, 5, 'x')), 0))
  early.receive(job, 0)
  t.is(early.task(jobId, 5, 0), undefined)
  t.deepEqual(early.signers(), [])
  const late = reader()
  late.receive(job, 0)
  t.false(late.receive(plain(peer(1), result(jobId, 5, 'x')), 0))
})

test('an announce whose publisher is not its signer is ignored', (t) => {
  const message = announce(peer(5))
  const market = reader()
  t.false(market.receive(plain(peer(6), message), 0))
  t.is(market.job(jobIdOf(message)), undefined)
  t.deepEqual(market.jobIds(), [])
})

test('equals set later re-tallies the job', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1 })
  const market = reader()
  for (const e of [
    job,
    inputs,
    plain(peer(1), result(jobId, 0, 1.0)),
    plain(peer(2), result(jobId, 0, 1.004)),
  ]) {
    market.receive(e, 0)
  }
  t.is(market.task(jobId, 0, 0)!.status, 'pending')
  market.setEquals(jobId, (a, b) => Math.abs((a as number) - (b as number)) < 0.01)
  t.is(market.task(jobId, 0, 0)!.status, 'validated')
  t.is(market.signer(peer(2)).valid, 1)
  market.setEquals(jobId, undefined)
  t.is(market.task(jobId, 0, 0)!.status, 'pending')
  t.is(market.signer(peer(2)).valid, 0)
})

test('invalid options and unknown jobs throw named errors', (t) => {
  t.throws(() => createMarket({ self: '' }), { instanceOf: InvalidParametersError })
  t.throws(() => createMarket({ self: READER, maxActiveClaims: -1 }), {
    name: 'InvalidParametersError',
    message: /maxActiveClaims/,
  })
  t.throws(() => createMarket({ self: READER, maxActiveClaims: 1.5 }), { name: 'InvalidParametersError' })
  t.throws(() => createMarket({ self: READER, trust: ['x'] as unknown as Set<string> }), {
    name: 'InvalidParametersError',
  })
  t.throws(() => reader().outputs('bafyunknown'), { instanceOf: UnknownJobError })
  t.is(UnknownJobError.name, 'UnknownJobError')
})

test('a claim holds a task only until its lease, capped at receive time + leaseMs', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 2, leaseMs: 10_000 })
  const market = reader()
  market.receive(job, 0)
  market.receive(inputs, 0)
  // Asks for a day; gets leaseMs from when it was received.
  market.receive(plain(peer(1), claim(jobId, [0], 86_400_000)), 1000)
  t.is(market.task(jobId, 0, 1000)!.needed, 1)
  t.is(market.task(jobId, 0, 10_999)!.needed, 1)
  t.is(market.task(jobId, 0, 11_000)!.needed, 2)
  // Claiming again does not renew the lease past the first claim's cap.
  market.receive(plain(peer(1), claim(jobId, [0], 86_400_001)), 20_000)
  t.is(market.task(jobId, 0, 20_000)!.needed, 2)
  // Once the claimer's result is known, the claim no longer counts: the result does.
  market.receive(plain(peer(2), claim(jobId, [0], 50_000)), 20_000)
  market.receive(plain(peer(2), result(jobId, 0, 'x')), 21_000)
  const view = market.task(jobId, 0, 21_000)!
  t.is(view.liveClaims, 0)
  t.is(view.needed, 1)
})

// A random job: 1..4 tasks, signers 1..5 answering from a small output domain (so classes form),
// equivocations, claims, and junk (batches and announces by non-publishers).
const scenario = fc
  .record({
    quorum: fc.integer({ min: 1, max: 3 }),
    extra: fc.nat({ max: 2 }),
    maxErrors: fc.nat({ max: 2 }),
    taskCount: fc.integer({ min: 1, max: 4 }),
    votes: fc.array(
      fc.record({
        signer: fc.integer({ min: 1, max: 5 }),
        task: fc.nat({ max: 3 }),
        output: fc.nat({ max: 2 }),
      }),
      { maxLength: 24 },
    ),
    claims: fc.array(fc.record({ signer: fc.integer({ min: 1, max: 5 }), task: fc.nat({ max: 3 }) }), {
      maxLength: 6,
    }),
    seals: fc.array(
      fc.record({ byPublisher: fc.boolean(), task: fc.nat({ max: 3 }), output: fc.nat({ max: 2 }) }),
      { maxLength: 3 },
    ),
  })
  .map((s) => {
    const { jobId, job, inputs } = plainJob({
      taskCount: s.taskCount,
      quorum: s.quorum,
      maxReplicas: s.quorum + s.extra,
      maxErrors: s.maxErrors,
    })
    const envelopes: MarketEnvelope[] = [job, inputs]
    // A batch with other inputs from someone else, for the same index: must never count.
    envelopes.push(plain(peer(7), batch(jobId, 0, 0, inputsFor(100, s.taskCount))))
    for (const v of s.votes)
      envelopes.push(plain(peer(v.signer), result(jobId, v.task % s.taskCount, v.output)))
    for (const c of s.claims)
      envelopes.push(plain(peer(c.signer), claim(jobId, [c.task % s.taskCount], 5000)))
    // Seals, by the publisher (which count) and by someone else (which must not).
    for (const seal of s.seals) {
      const tasks = [{ task: seal.task % s.taskCount, outputHash: outputHashOf(seal.output) }]
      envelopes.push(plain(seal.byPublisher ? PUBLISHER : peer(1), { type: 'Seal', v: 1, jobId, tasks }))
    }
    return { jobId, envelopes }
  })

function replay(envelopes: readonly MarketEnvelope[], order: readonly number[]): Market {
  const market = reader()
  order.forEach((index, step) => market.receive(envelopes[index]!, step))
  return market
}

test('property: any permutation and duplication of one envelope set gives the same state', (t) => {
  fc.assert(
    fc.property(
      scenario.chain((s) => fc.tuple(fc.constant(s), arrivalOrder(s.envelopes.length))),
      ([{ jobId, envelopes }, order]) => {
        const reference = observe(
          replay(
            envelopes,
            envelopes.map((_, i) => i),
          ),
          jobId,
        )
        t.deepEqual(observe(replay(envelopes, order), jobId), reference)
      },
    ),
    { numRuns: 150 },
  )
})

test('property: results that arrive before their announce are used once it arrives', (t) => {
  fc.assert(
    fc.property(scenario, ({ jobId, envelopes }) => {
      const [job, ...rest] = envelopes
      const early = reader()
      for (const e of rest) early.receive(e, 0)
      t.is(early.job(jobId), undefined)
      early.receive(job!, 0)
      const announcedFirst = replay(
        envelopes,
        envelopes.map((_, i) => i),
      )
      t.deepEqual(observe(early, jobId), observe(announcedFirst, jobId))
      t.deepEqual(early.job(jobId)!.progress, announcedFirst.job(jobId)!.progress)
    }),
    { numRuns: 100 },
  )
})

test('property: validated inputs come from the publisher, never from another signer', (t) => {
  fc.assert(
    fc.property(
      scenario.chain((s) => fc.tuple(fc.constant(s), arrivalOrder(s.envelopes.length))),
      ([{ jobId, envelopes }, order]) => {
        const market = replay(envelopes, order)
        for (let index = 0; index < market.job(jobId)!.announce.taskCount; index++) {
          t.deepEqual(market.task(jobId, index, 0)!.input, { n: index })
        }
      },
    ),
    { numRuns: 100 },
  )
})

test('property: validated outputs are exactly the tasks with a quorum of agreeing signers not blocked', (t) => {
  fc.assert(
    fc.property(scenario, ({ jobId, envelopes }) => {
      const market = replay(
        envelopes,
        envelopes.map((_, i) => i),
      )
      const { quorum } = market.job(jobId)!.announce
      // Count distinct signers per (task, output) from the raw envelopes, ignoring equivocation losers.
      const best = new Map<string, { id: string; output: Json }>()
      for (const e of envelopes) {
        const m = e.message as Message
        if (m.type !== 'Result' || market.signer(e.signer).blocked) continue
        const key = `${m.task}/${e.signer}`
        const current = best.get(key)
        if (current === undefined || e.id < current.id) best.set(key, { id: e.id, output: m.output as Json })
      }
      const votes = new Map<string, number>()
      for (const [key, { output }] of best) {
        const k = `${key.split('/')[0]}=${JSON.stringify(output)}`
        votes.set(k, (votes.get(k) ?? 0) + 1)
      }
      // A task the publisher sealed follows its seal instead (the seal tests cover it).
      const sealed = new Set<number>()
      for (const e of envelopes) {
        const m = e.message as Message
        if (m.type === 'Seal' && e.signer === PUBLISHER) for (const entry of m.tasks) sealed.add(entry.task)
      }
      const reachable = new Set(
        [...votes].filter(([, n]) => n >= quorum).map(([k]) => Number(k.split('=')[0])),
      )
      t.deepEqual(
        market
          .outputs(jobId)
          .map((o) => o.index)
          .filter((index) => !sealed.has(index)),
        [...reachable].filter((index) => !sealed.has(index)).sort((a, b) => a - b),
      )
    }),
    { numRuns: 150 },
  )
})

test('property: an expired lease frees its task (needed goes back up)', (t) => {
  const claimers = fc.array(
    fc.record({ at: fc.nat({ max: 5000 }), asked: fc.integer({ min: 1, max: 100_000 }) }),
    { minLength: 1, maxLength: 5 },
  )
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1000, max: 20_000 }),
      claimers,
      fc.nat({ max: 30_000 }),
      (quorum, leaseMs, list, now) => {
        const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum, maxReplicas: quorum, leaseMs })
        const market = reader()
        establish(
          market,
          list.map((_, n) => peer(n + 1)),
        )
        market.receive(job, 0)
        market.receive(inputs, 0)
        list.forEach(({ at, asked }, n) =>
          market.receive(plain(peer(n + 1), claim(jobId, [0], at + asked)), at),
        )
        // No claim holds the task past one lease after its hold began: with the first claim heard,
        // or again with a claim by a signer with validated work (all of these) once it ran out.
        let hold = list[0]!.at
        const holds = list.map(({ at }) => (at >= hold + leaseMs ? (hold = at) : hold))
        const live = list.filter(
          ({ at, asked }, n) => Math.min(at + asked, at + leaseMs, holds[n]! + leaseMs) > now,
        ).length
        const view = market.task(jobId, 0, now)!
        t.is(view.liveClaims, live)
        t.is(view.needed, Math.max(0, quorum - live))
        // Long after every lease, the task needs its full quorum again.
        t.is(market.task(jobId, 0, 5000 + leaseMs)!.needed, quorum)
      },
    ),
    { numRuns: 150 },
  )
})

test("a signer that reports absurd durations earns no more than the job's lease per task, and honest signers lose nothing", (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 4, quorum: 2, maxReplicas: 3, leaseMs: 60_000 })
  const market = reader()
  market.receive(job, 0)
  market.receive(inputs, 0)
  for (let task = 0; task < 4; task++) {
    market.receive(plain(peer(1), result(jobId, task, task, 900)), 1)
    market.receive(plain(peer(2), result(jobId, task, task, 1000)), 1)
    market.receive(plain(peer(3), result(jobId, task, task, 26_611_200_000)), 1)
  }
  const credit = new Map(market.signers(jobId).map((s) => [s.peerId, s.creditMs]))
  // The lower median of three is the middle honest claim: the liar earns what the others did.
  t.is(credit.get(peer(1)), 4 * 1000)
  t.is(credit.get(peer(3)), 4 * 1000)
  // The liar with copies of itself outnumbers the honest pair: the lease caps what the class earns.
  market.receive(plain(peer(4), result(jobId, 0, 0, 26_611_200_000)), 1)
  market.receive(plain(peer(5), result(jobId, 0, 0, 26_611_200_000)), 1)
  t.is(market.signers(jobId).find((s) => s.peerId === peer(4))!.creditMs, 60_000)
})
