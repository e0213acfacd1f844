// What free keys cannot do to a job: overturn a sealed task, fail a task, count once blocked,
// or pass an output the workload's schema rejects. Each is a pure function of the envelope set.
import test from 'ava'
import { createMarket } from '@p2pc/market'
import type { Market, MarketEnvelope, SealAction } from '@p2pc/market'
import { outputHashOf } from '@p2pc/protocol'
import type { Json, Seal } from '@p2pc/protocol'
import { PUBLISHER, observe, peer, plain, plainJob, result } from './fixtures.ts'

const HONEST = [peer(1), peer(2)]
const SYBILS = [peer(51), peer(52), peer(53), peer(54), peer(55)]
const TASKS = 4

function job(overrides = {}) {
  return plainJob({ taskCount: TASKS, quorum: 2, maxReplicas: 4, maxErrors: 2, ...overrides })
}

/** A reader's market (not the publisher's) that knows the job and its inputs. */
function readerOf(announce: MarketEnvelope, inputs: MarketEnvelope): Market {
  const market = createMarket({ self: peer(9), maxActiveClaims: 0 })
  market.receive(announce, 0)
  market.receive(inputs, 0)
  return market
}

/** The publisher's own market: it asks to seal each task of its job as it validates. */
function publisherMarket(): Market {
  return createMarket({ self: PUBLISHER, maxActiveClaims: 0 })
}

function seal(jobId: string, tasks: Array<{ task: number; output: Json }>): MarketEnvelope {
  const message: Seal = {
    type: 'Seal',
    v: 1,
    jobId,
    tasks: tasks.map(({ task, output }) => ({ task, outputHash: outputHashOf(output) })),
  }
  return plain(PUBLISHER, message)
}

function sealsAsked(market: Market): SealAction[] {
  return market.takeActions().filter((a): a is SealAction => a.type === 'seal')
}

test('the publisher asks once to seal each task it sees validated, with the winning hash', (t) => {
  const { jobId, job: announce, inputs } = job()
  const market = publisherMarket()
  market.receive(announce, 0)
  market.receive(inputs, 0)
  for (const signer of HONEST) market.receive(plain(signer, result(jobId, 0, 'right')), 0)
  // Nothing is sealed before the publisher judges outputs by its workload's schema.
  t.deepEqual(sealsAsked(market), [])
  market.setOutputCheck(jobId, (output) => typeof output === 'string')
  t.deepEqual(sealsAsked(market), [{ type: 'seal', jobId, task: 0, outputHash: outputHashOf('right') }])
  market.receive(plain(peer(3), result(jobId, 0, 'right')), 0)
  t.deepEqual(sealsAsked(market), [])
  // A reader that did not publish the job seals nothing.
  const reader = createMarket({ self: peer(9), maxActiveClaims: 0 })
  for (const e of [announce, inputs, ...HONEST.map((s) => plain(s, result(jobId, 0, 'right')))]) {
    reader.receive(e, 0)
  }
  t.deepEqual(sealsAsked(reader), [])
})

test('free keys that agree on another output after the seal overturn nothing and earn nothing', (t) => {
  const { jobId, job: announce, inputs } = job()
  const envelopes: MarketEnvelope[] = [announce, inputs]
  for (let task = 0; task < TASKS; task++) {
    for (const signer of HONEST) envelopes.push(plain(signer, result(jobId, task, task * 10)))
  }
  envelopes.push(
    seal(
      jobId,
      [0, 1, 2, 3].map((task) => ({ task, output: task * 10 })),
    ),
  )
  // Three fresh keys, no claim, no work: one wrong answer each for every task.
  for (const signer of SYBILS.slice(0, 3)) {
    for (let task = 0; task < TASKS; task++) envelopes.push(plain(signer, result(jobId, task, 0)))
  }
  for (const order of [envelopes, [...envelopes].reverse()]) {
    const market = createMarket({ self: peer(9), maxActiveClaims: 0 })
    for (const e of order) market.receive(e, 0)
    t.deepEqual(
      market.outputs(jobId).map((o) => o.output),
      [0, 10, 20, 30],
    )
    for (const signer of HONEST) t.like(market.signer(signer), { valid: TASKS, invalid: 0, blocked: false })
    for (const signer of SYBILS.slice(0, 3))
      t.like(market.signer(signer), { valid: 0, creditMs: 0, blocked: true })
  }
})

test('without the seal, the same free keys would outvote the honest pair: the seal is what holds', (t) => {
  const { jobId, job: announce, inputs } = job()
  const market = readerOf(announce, inputs)
  for (const signer of HONEST) market.receive(plain(signer, result(jobId, 0, 'right')), 0)
  for (const signer of SYBILS.slice(0, 3)) market.receive(plain(signer, result(jobId, 0, 'wrong')), 0)
  t.is(market.outputs(jobId)[0]!.output, 'wrong')
  market.receive(seal(jobId, [{ task: 0, output: 'right' }]), 0)
  t.is(market.outputs(jobId)[0]!.output, 'right')
})

test('a seal signed by anyone but the publisher is ignored', (t) => {
  const { jobId, job: announce, inputs } = job()
  const market = readerOf(announce, inputs)
  for (const signer of HONEST) market.receive(plain(signer, result(jobId, 0, 'right')), 0)
  const forged = plain(SYBILS[0]!, { ...seal(jobId, [{ task: 0, output: 'wrong' }]).message })
  t.false(market.receive(forged, 0))
  market.receive(plain(SYBILS[0]!, result(jobId, 0, 'wrong')), 0)
  t.is(market.outputs(jobId)[0]!.output, 'right')
})

test('five free keys answering first, all differently, fail no task: the honest quorum still validates', (t) => {
  const { jobId, job: announce, inputs } = job()
  const market = readerOf(announce, inputs)
  for (let task = 0; task < TASKS; task++) {
    SYBILS.forEach((signer, i) => market.receive(plain(signer, result(jobId, task, `junk-${i}`)), 0))
    const view = market.task(jobId, task, 0)!
    t.is(view.status, 'pending')
    // Strangers' noise costs no replica: the task still asks for its quorum.
    t.is(view.needed, 1)
  }
  t.is(market.job(jobId)!.progress.failed, 0)
  for (let task = 0; task < TASKS; task++) {
    for (const signer of HONEST) market.receive(plain(signer, result(jobId, task, task)), 0)
  }
  t.deepEqual(market.job(jobId)!.progress, { total: TASKS, validated: TASKS, failed: 0, pending: 0 })
  t.deepEqual(
    market.outputs(jobId).map((o) => o.output),
    [0, 1, 2, 3],
  )
  for (const signer of SYBILS) t.like(market.signer(signer), { valid: 0, creditMs: 0, blocked: true })
})

test("a blocked signer's results count for nothing: they make no quorum and earn no credit", (t) => {
  const { jobId, job: announce, inputs } = job()
  const cheat = SYBILS[0]!
  const market = readerOf(announce, inputs)
  for (const task of [0, 1]) {
    for (const signer of HONEST) market.receive(plain(signer, result(jobId, task, 'right')), 0)
    market.receive(plain(cheat, result(jobId, task, 'wrong')), 0)
  }
  t.true(market.signer(cheat).blocked)
  market.receive(plain(cheat, result(jobId, 2, 'right')), 0)
  market.receive(plain(HONEST[0]!, result(jobId, 2, 'right')), 0)
  t.is(market.task(jobId, 2, 0)!.status, 'pending')
  t.deepEqual(market.signer(cheat), { peerId: cheat, valid: 0, invalid: 2, creditMs: 0, blocked: true })
  market.receive(plain(HONEST[1]!, result(jobId, 2, 'right')), 0)
  t.deepEqual(market.task(jobId, 2, 0)!.tally.valid, [...HONEST].sort())
})

test('a task validated by two signers later blocked is open again, and needs replicas', (t) => {
  const { jobId, job: announce, inputs } = job()
  const [a, b] = SYBILS
  const market = readerOf(announce, inputs)
  market.receive(plain(a!, result(jobId, 3, 'wrong')), 0)
  market.receive(plain(b!, result(jobId, 3, 'wrong')), 0)
  t.is(market.task(jobId, 3, 0)!.status, 'validated')
  // Outvoted on two other tasks each, both get blocked.
  for (const task of [0, 1]) {
    for (const signer of [...HONEST, peer(3)]) market.receive(plain(signer, result(jobId, task, 'right')), 0)
    market.receive(plain(a!, result(jobId, task, 'wrong')), 0)
    market.receive(plain(b!, result(jobId, task, 'wrong')), 0)
  }
  t.true(market.signer(a!).blocked && market.signer(b!).blocked)
  const view = market.task(jobId, 3, 0)!
  t.is(view.status, 'pending')
  t.is(view.needed, 2)
})

test('an output the schema rejects is an error of its signer, never validated, never fetched', (t) => {
  const { jobId, job: announce, inputs } = job()
  const market = publisherMarket()
  market.setOutputCheck(jobId, (output) => typeof output === 'number')
  market.receive(announce, 0)
  market.receive(inputs, 0)
  for (const signer of SYBILS.slice(0, 2)) market.receive(plain(signer, result(jobId, 0, null)), 0)
  t.is(market.task(jobId, 0, 0)!.status, 'pending')
  t.deepEqual(market.outputs(jobId), [])
  for (const signer of SYBILS.slice(0, 2)) t.like(market.signer(signer), { valid: 0, invalid: 1 })
  for (const signer of HONEST) market.receive(plain(signer, result(jobId, 0, 7)), 0)
  t.deepEqual(
    market.outputs(jobId).map((o) => o.output),
    [7],
  )
})

test('the same envelopes in any order give the same state, seals and blocks included', (t) => {
  const { jobId, job: announce, inputs } = job()
  const envelopes: MarketEnvelope[] = [announce, inputs]
  for (let task = 0; task < TASKS; task++) {
    for (const signer of HONEST) envelopes.push(plain(signer, result(jobId, task, task)))
    SYBILS.forEach((signer, i) => envelopes.push(plain(signer, result(jobId, task, i % 2))))
  }
  envelopes.push(seal(jobId, [{ task: 1, output: 1 }]))
  const states = []
  for (let shift = 0; shift < envelopes.length; shift += 3) {
    const order = [...envelopes.slice(shift), ...envelopes.slice(0, shift)].reverse()
    const market = createMarket({ self: peer(9), maxActiveClaims: 0 })
    for (const e of order) market.receive(e, 0)
    states.push(observe(market, jobId))
  }
  for (const state of states) t.deepEqual(state, states[0])
})

test('a seal stands while one signer of its class is not blocked; once all are, the vote decides again', (t) => {
  const { jobId, job: announce, inputs } = job()
  const [a, b] = SYBILS
  const market = readerOf(announce, inputs)
  // Two colluders validate task 3 first, and the publisher seals what it saw.
  market.receive(plain(a!, result(jobId, 3, 'wrong')), 0)
  market.receive(plain(b!, result(jobId, 3, 'wrong')), 0)
  market.receive(seal(jobId, [{ task: 3, output: 'wrong' }]), 0)
  for (const signer of HONEST) market.receive(plain(signer, result(jobId, 3, 'right')), 0)
  t.is(market.outputs(jobId)[0]!.output, 'wrong')
  // Outvoted elsewhere, both get blocked: the seal of their class is void.
  for (const task of [0, 1]) {
    for (const signer of [...HONEST, peer(3)]) market.receive(plain(signer, result(jobId, task, 'right')), 0)
    market.receive(plain(a!, result(jobId, task, 'wrong')), 0)
    market.receive(plain(b!, result(jobId, task, 'wrong')), 0)
  }
  t.true(market.signer(a!).blocked && market.signer(b!).blocked)
  t.deepEqual(
    market.outputs(jobId).map((o) => [o.index, o.output]),
    [
      [0, 'right'],
      [1, 'right'],
      [3, 'right'],
    ],
  )
})
