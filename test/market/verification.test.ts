// Spot checks and adaptive verification: the publisher's own answers catch liars (in its jobs
// only), earn honest signers credibility, and in an adaptive job a credible signer's word alone
// validates a task. Each is a pure function of the envelope set.
import test from 'ava'
import fc from 'fast-check'
import {
  CREDIBLE_AFTER_CHECKS,
  UNPROVEN_CHECK_RATE,
  checksToShow,
  createMarket,
  errorRateBound,
} from '@p2pc/market'
import type { Market, MarketEnvelope } from '@p2pc/market'
import type { Json, Result } from '@p2pc/protocol'
import { PUBLISHER, arrivalOrder, failure, observe, peer, plain, plainJob, result } from './fixtures.ts'

const HONEST = peer(1)
const OTHER = peer(2)
const LIAR = peer(3)
const FRIEND = peer(4)

/** The publisher's spot check: its own answer, marked as one. */
function check(jobId: string, task: number, output: Json, signer = PUBLISHER): MarketEnvelope {
  const message: Result = { ...result(jobId, task, output), check: true }
  return plain(signer, message)
}

function answer(signer: string, jobId: string, task: number, output: Json): MarketEnvelope {
  return plain(signer, result(jobId, task, output))
}

function reader(...envelopes: MarketEnvelope[]): Market {
  const market = createMarket({ self: peer(9), maxActiveClaims: 0 })
  for (const envelope of envelopes) market.receive(envelope, 0)
  return market
}

test("the publisher's spot check decides a task against a quorum that outvotes it", (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 4 })
  const market = reader(job, inputs, answer(LIAR, jobId, 0, 'wrong'), answer(FRIEND, jobId, 0, 'wrong'))
  t.is(market.task(jobId, 0, 0)!.tally.outputHash, result(jobId, 0, 'wrong').outputHash)
  market.receive(check(jobId, 0, 'right'), 0)
  const tally = market.task(jobId, 0, 0)!.tally
  t.is(tally.status, 'validated')
  t.is(tally.verified, 'checked')
  t.is(tally.output, 'right')
  t.deepEqual(market.spotChecks(jobId, LIAR), { passed: 0, caught: true, credible: false })
  t.deepEqual(market.job(jobId)!.checks, { made: 1, disagreed: 1 })
})

test("a check by anyone but the job's publisher is an ordinary vote", (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 4 })
  const market = reader(job, inputs, answer(LIAR, jobId, 0, 'wrong'), check(jobId, 0, 'right', HONEST))
  t.is(market.task(jobId, 0, 0)!.tally.status, 'pending')
  t.false(market.spotChecks(jobId, LIAR).caught)
})

test("a signer caught by a spot check counts for nothing in that publisher's jobs, and its other wins fall", (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 2, quorum: 2, maxReplicas: 4 })
  const market = reader(job, inputs)
  // Task 1: the liar and its friend outvote nobody, yet make a quorum.
  market.receive(answer(LIAR, jobId, 1, 'wrong'), 0)
  market.receive(answer(FRIEND, jobId, 1, 'wrong'), 0)
  t.is(market.task(jobId, 1, 0)!.status, 'validated')
  // Task 0: the publisher's check catches the liar.
  market.receive(answer(LIAR, jobId, 0, 'wrong'), 0)
  market.receive(check(jobId, 0, 'right'), 0)
  t.true(market.spotChecks(jobId, LIAR).caught)
  // The liar's vote on task 1 counts no more: the task waits for a replica.
  const task = market.task(jobId, 1, 0)!
  t.is(task.status, 'pending')
  t.is(task.needed, 1)
  t.is(market.signers(jobId).find((s) => s.peerId === LIAR)?.creditMs ?? 0, 0)
})

test("a catch in one publisher's job costs nothing in another publisher's", (t) => {
  const mine = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 4 })
  const theirs = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 4 }, peer(500))
  const market = reader(mine.job, mine.inputs, theirs.job, theirs.inputs)
  market.receive(answer(LIAR, mine.jobId, 0, 'wrong'), 0)
  market.receive(check(mine.jobId, 0, 'right'), 0)
  t.true(market.spotChecks(mine.jobId, LIAR).caught)
  t.false(market.spotChecks(theirs.jobId, LIAR).caught)
  market.receive(answer(LIAR, theirs.jobId, 0, 'x'), 0)
  market.receive(answer(HONEST, theirs.jobId, 0, 'x'), 0)
  t.is(market.task(theirs.jobId, 0, 0)!.status, 'validated')
})

test('colluders that outvote an honest signer get it blocked only until a spot check catches them', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 4, quorum: 2, maxReplicas: 4 })
  const envelopes: MarketEnvelope[] = [job, inputs]
  // Tasks 1 to 3: the two colluders agree on a lie, the honest signer is the odd one out.
  for (let task = 1; task <= 3; task++) {
    envelopes.push(answer(LIAR, jobId, task, 'lie'), answer(FRIEND, jobId, task, 'lie'))
    envelopes.push(answer(HONEST, jobId, task, 'truth'))
  }
  const market = reader(...envelopes)
  t.true(market.signer(HONEST).blocked, 'the plain vote says the honest signer lied three times')
  // Task 0: the publisher's own answer catches both colluders.
  market.receive(answer(LIAR, jobId, 0, 'lie'), 0)
  market.receive(answer(FRIEND, jobId, 0, 'lie'), 0)
  market.receive(check(jobId, 0, 'truth'), 0)
  t.true(market.spotChecks(jobId, LIAR).caught && market.spotChecks(jobId, FRIEND).caught)
  t.like(market.signer(HONEST), { blocked: false, invalid: 0 })
  t.is(market.signers(jobId).find((s) => s.peerId === LIAR)?.creditMs ?? 0, 0)
  // The honest signer's answers count again: one more agreeing answer validates each task.
  market.receive(answer(OTHER, jobId, 1, 'truth'), 0)
  t.like(market.task(jobId, 1, 0)!.tally, {
    status: 'validated',
    output: 'truth',
    valid: [HONEST, OTHER].sort(),
  })
  // The same in any order of arrival.
  const all = [...envelopes, answer(LIAR, jobId, 0, 'lie'), answer(FRIEND, jobId, 0, 'lie')]
  all.push(check(jobId, 0, 'truth'), answer(OTHER, jobId, 1, 'truth'))
  const reference = observe(reader(...all), jobId)
  fc.assert(
    fc.property(arrivalOrder(all.length), (order) => {
      const shuffled = reader(...order.map((i) => all[i]!))
      t.deepEqual(observe(shuffled, jobId), reference)
      t.false(shuffled.signer(HONEST).blocked)
    }),
    { numRuns: 40 },
  )
})

test('a failure on a spot-checked task is no evidence of lying', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 4 })
  const market = reader(job, inputs, plain(HONEST, failure(jobId, 0, 'out of range')), check(jobId, 0, 1))
  t.false(market.spotChecks(jobId, HONEST).caught)
})

/** A job of `taskCount` tasks in which `signer` passes the first `passes` as spot checks. */
function record(signer: string, passes: number, overrides = {}) {
  const made = plainJob({ taskCount: passes + 4, quorum: 2, maxReplicas: 4, ...overrides })
  const envelopes: MarketEnvelope[] = [made.job, made.inputs]
  for (let task = 0; task < passes; task++) {
    envelopes.push(answer(signer, made.jobId, task, task), check(made.jobId, task, task))
  }
  return { ...made, envelopes }
}

test(`after ${CREDIBLE_AFTER_CHECKS} spot checks passed, a signer's word alone validates a task of an adaptive job`, (t) => {
  const last = CREDIBLE_AFTER_CHECKS
  const almost = record(HONEST, last - 1, { verification: 'adaptive' })
  const market = reader(...almost.envelopes, answer(HONEST, almost.jobId, last + 1, 'alone'))
  t.false(market.spotChecks(almost.jobId, HONEST).credible)
  t.is(market.task(almost.jobId, last + 1, 0)!.status, 'pending')
  // One more check passed, and the lone answer given before it now stands.
  market.receive(answer(HONEST, almost.jobId, last - 1, last - 1), 0)
  market.receive(check(almost.jobId, last - 1, last - 1), 0)
  t.deepEqual(market.spotChecks(almost.jobId, HONEST), { passed: last, caught: false, credible: true })
  const tally = market.task(almost.jobId, last + 1, 0)!.tally
  t.is(tally.status, 'validated')
  t.is(tally.verified, 'single')
  t.deepEqual(tally.valid, [HONEST])
})

test('a strict job asks a credible signer for its quorum all the same', (t) => {
  const made = record(HONEST, CREDIBLE_AFTER_CHECKS)
  const market = reader(...made.envelopes, answer(HONEST, made.jobId, CREDIBLE_AFTER_CHECKS, 'alone'))
  t.true(market.spotChecks(made.jobId, HONEST).credible)
  t.is(market.task(made.jobId, CREDIBLE_AFTER_CHECKS, 0)!.status, 'pending')
})

test('in an adaptive job, a disagreement by a signer with standing takes a credible signer back to the quorum', (t) => {
  const made = record(HONEST, CREDIBLE_AFTER_CHECKS, { verification: 'adaptive' })
  const task = CREDIBLE_AFTER_CHECKS
  // OTHER has standing: a valid result in the job (task + 1, agreed with HONEST's quorum partner).
  const market = reader(
    ...made.envelopes,
    answer(OTHER, made.jobId, task + 1, 'x'),
    answer(FRIEND, made.jobId, task + 1, 'x'),
  )
  t.true(market.hasStanding(made.jobId, OTHER))
  market.receive(answer(HONEST, made.jobId, task, 'mine'), 0)
  market.receive(answer(OTHER, made.jobId, task, 'theirs'), 0)
  const view = market.task(made.jobId, task, 0)!
  t.is(view.status, 'pending')
  t.is(view.needed, 1)
  // A fresh key's disagreement costs nothing: the credible word stands.
  const fresh = reader(
    ...made.envelopes,
    answer(HONEST, made.jobId, task, 'mine'),
    answer(peer(77), made.jobId, task, 'no'),
  )
  t.is(fresh.task(made.jobId, task, 0)!.tally.verified, 'single')
})

test("in an adaptive job, a credible signer's live claim is all a task needs; in a strict one it is one replica", (t) => {
  for (const verification of ['adaptive', 'strict'] as const) {
    const made = record(HONEST, CREDIBLE_AFTER_CHECKS, { verification })
    const market = reader(...made.envelopes)
    const task = CREDIBLE_AFTER_CHECKS
    market.receive(
      plain(HONEST, { type: 'Claim', v: 1, jobId: made.jobId, tasks: [task], leaseEnd: 60_000 }),
      0,
    )
    t.is(market.task(made.jobId, task, 0)!.needed, verification === 'adaptive' ? 0 : 1, verification)
  }
})

test('a credible signer caught lying loses every lone validation it had', (t) => {
  const made = record(LIAR, CREDIBLE_AFTER_CHECKS, {
    verification: 'adaptive',
    taskCount: CREDIBLE_AFTER_CHECKS + 2,
  })
  const market = reader(...made.envelopes, answer(LIAR, made.jobId, CREDIBLE_AFTER_CHECKS, 'lie'))
  t.is(market.task(made.jobId, CREDIBLE_AFTER_CHECKS, 0)!.status, 'validated')
  market.receive(answer(LIAR, made.jobId, CREDIBLE_AFTER_CHECKS + 1, 'lie'), 0)
  market.receive(check(made.jobId, CREDIBLE_AFTER_CHECKS + 1, 'truth'), 0)
  t.deepEqual(market.spotChecks(made.jobId, LIAR), {
    passed: CREDIBLE_AFTER_CHECKS,
    caught: true,
    credible: false,
  })
  t.is(market.task(made.jobId, CREDIBLE_AFTER_CHECKS, 0)!.status, 'pending')
  // Its passed checks still validated: the publisher's own answers stand without it.
  t.is(market.task(made.jobId, 0, 0)!.tally.valid.join(), PUBLISHER)
})

test('spot checks, catches and lone validations are the same in any order of arrival', (t) => {
  const made = record(HONEST, CREDIBLE_AFTER_CHECKS, {
    verification: 'adaptive',
    taskCount: CREDIBLE_AFTER_CHECKS + 4,
  })
  const base = CREDIBLE_AFTER_CHECKS
  const envelopes = [
    ...made.envelopes,
    answer(HONEST, made.jobId, base, 'alone'),
    answer(LIAR, made.jobId, base + 1, 'lie'),
    answer(FRIEND, made.jobId, base + 1, 'lie'),
    answer(LIAR, made.jobId, base + 2, 'lie'),
    check(made.jobId, base + 2, 'truth'),
    answer(HONEST, made.jobId, base + 3, 'a'),
    answer(FRIEND, made.jobId, base + 3, 'b'),
  ]
  const reference = observe(reader(...envelopes), made.jobId)
  fc.assert(
    fc.property(arrivalOrder(envelopes.length), (order) => {
      const market = reader(...order.map((i) => envelopes[i]!))
      t.deepEqual(observe(market, made.jobId), reference)
    }),
    { numRuns: 60 },
  )
  t.is(reference.tasks[base]!.tally.verified, 'single')
  t.is(reference.tasks[base + 1]!.status, 'pending')
})

test("a job's checks count where its rule would have accepted a wrong output: a colluding quorum, a credible liar alone", (t) => {
  const made = record(HONEST, CREDIBLE_AFTER_CHECKS, {
    verification: 'adaptive',
    taskCount: CREDIBLE_AFTER_CHECKS + 4,
  })
  const base = CREDIBLE_AFTER_CHECKS
  const market = reader(...made.envelopes)
  t.deepEqual(market.checkedErrors(made.jobId), { checked: base, wouldErr: 0 })
  // Two colluders agree on a lie: a quorum the check overturns.
  for (const envelope of [answer(LIAR, made.jobId, base, 'lie'), answer(FRIEND, made.jobId, base, 'lie')]) {
    market.receive(envelope, 0)
  }
  market.receive(check(made.jobId, base, 'truth'), 0)
  t.deepEqual(market.checkedErrors(made.jobId), { checked: base + 1, wouldErr: 1 })
  // One answer against the check, no quorum: the rule would have waited, not erred.
  market.receive(answer(OTHER, made.jobId, base + 1, 'lie'), 0)
  market.receive(check(made.jobId, base + 1, 'truth'), 0)
  t.deepEqual(market.checkedErrors(made.jobId), { checked: base + 2, wouldErr: 1 })
  // The credible signer lies once: alone, its word would have been taken.
  market.receive(answer(HONEST, made.jobId, base + 2, 'lie'), 0)
  market.receive(check(made.jobId, base + 2, 'truth'), 0)
  t.true(market.spotChecks(made.jobId, HONEST).caught)
  t.deepEqual(market.checkedErrors(made.jobId), { checked: base + 3, wouldErr: 2 })
})

test('a task that no credible signer vouches for is checked more often than the job asks', (t) => {
  const rate = 0.1
  const made = record(HONEST, CREDIBLE_AFTER_CHECKS, { spotCheckRate: rate })
  const base = CREDIBLE_AFTER_CHECKS
  const market = reader(...made.envelopes)
  t.is(market.checkRate(made.jobId, base), 0, 'nothing to check before the task is settled')
  // Two identities nobody vouches for agree: colluders may have chosen this task together.
  market.receive(answer(LIAR, made.jobId, base, 'lie'), 0)
  market.receive(answer(FRIEND, made.jobId, base, 'lie'), 0)
  t.is(market.task(made.jobId, base, 0)!.status, 'validated')
  t.is(market.checkRate(made.jobId, base), UNPROVEN_CHECK_RATE)
  // A credible signer in the winning class: the job's own rate.
  market.receive(answer(HONEST, made.jobId, base + 1, 'x'), 0)
  market.receive(answer(OTHER, made.jobId, base + 1, 'x'), 0)
  t.is(market.checkRate(made.jobId, base + 1), rate)
  // Caught, it vouches for nothing any more.
  market.receive(answer(HONEST, made.jobId, base + 2, 'lie'), 0)
  market.receive(check(made.jobId, base + 2, 'truth'), 0)
  t.true(market.spotChecks(made.jobId, HONEST).caught)
  market.receive(answer(OTHER, made.jobId, base + 3, 'y'), 0)
  market.receive(answer(LIAR, made.jobId, base + 3, 'y'), 0)
  t.is(market.checkRate(made.jobId, base + 3), UNPROVEN_CHECK_RATE)
  // At quorum 1 a lone answer is all the job asks: there are no partners to choose, the job's rate.
  const single = record(HONEST, 0, { spotCheckRate: rate, quorum: 1 })
  const alone = reader(...single.envelopes, answer(LIAR, single.jobId, 0, 'x'))
  t.is(alone.task(single.jobId, 0, 0)!.status, 'validated')
  t.is(alone.checkRate(single.jobId, 0), rate)
  // A job without spot checks is never checked.
  const unchecked = record(HONEST, CREDIBLE_AFTER_CHECKS)
  const other = reader(
    ...unchecked.envelopes,
    answer(LIAR, unchecked.jobId, base, 'z'),
    answer(FRIEND, unchecked.jobId, base, 'z'),
  )
  t.is(other.task(unchecked.jobId, base, 0)!.status, 'validated')
  t.is(other.checkRate(unchecked.jobId, base), 0)
})

test('a task that opens again after it was validated is one its publisher answers itself, once', (t) => {
  const made = plainJob({ taskCount: 3, quorum: 2, maxReplicas: 4, spotCheckRate: 0.1 })
  const publisher = createMarket({ self: PUBLISHER, maxActiveClaims: 0 })
  for (const envelope of [made.job, made.inputs]) publisher.receive(envelope, 0)
  // Two colluders settle task 0 with a lie; the draw passed it over.
  publisher.receive(answer(LIAR, made.jobId, 0, 'lie'), 0)
  publisher.receive(answer(FRIEND, made.jobId, 0, 'lie'), 0)
  t.is(publisher.task(made.jobId, 0, 0)!.status, 'validated')
  const checks = () => publisher.takeActions().filter((action) => action.type === 'check')
  t.deepEqual(checks(), [])
  // A check catches one of them on task 1: task 0 opens again, with the other colluder's answer
  // and maybe more of the group's to come. The publisher is asked to answer it itself.
  publisher.receive(answer(LIAR, made.jobId, 1, 'lie'), 0)
  publisher.receive(check(made.jobId, 1, 'truth'), 0)
  t.is(publisher.task(made.jobId, 0, 0)!.status, 'pending')
  t.deepEqual(checks(), [{ type: 'check', jobId: made.jobId, task: 0 }])
  publisher.receive(check(made.jobId, 0, 'truth'), 0)
  t.like(publisher.task(made.jobId, 0, 0)!.tally, { status: 'validated', verified: 'checked' })
  t.true(publisher.spotChecks(made.jobId, FRIEND).caught)
  // Asked once; and a reader, which is not the publisher, is never asked.
  t.deepEqual(checks(), [])
  const other = reader(
    made.job,
    made.inputs,
    answer(LIAR, made.jobId, 0, 'lie'),
    answer(FRIEND, made.jobId, 0, 'lie'),
  )
  other.receive(answer(LIAR, made.jobId, 1, 'lie'), 0)
  other.receive(check(made.jobId, 1, 'truth'), 0)
  t.is(other.task(made.jobId, 0, 0)!.status, 'pending')
  t.false(other.takeActions().some((action) => action.type === 'check'))
})

test('the error bound: the rule of three with no errors, Clopper–Pearson with some, and the checks a target needs', (t) => {
  t.is(errorRateBound(0, 0), 1)
  t.is(errorRateBound(3, 3), 1)
  // 1 − 0.05^(1/n), about 3/n.
  t.true(Math.abs(errorRateBound(0, 1000) - 0.002991) < 1e-6)
  t.true(Math.abs(errorRateBound(0, 20) - 0.139108) < 1e-6)
  // Tabulated one-sided 95 % Clopper–Pearson bounds.
  t.true(Math.abs(errorRateBound(1, 10) - 0.394163) < 1e-5)
  t.true(Math.abs(errorRateBound(5, 100) - 0.102253) < 1e-5)
  t.true(errorRateBound(1, 100) > errorRateBound(0, 100))
  t.is(checksToShow(0.001), 2995)
  t.true(errorRateBound(0, checksToShow(0.001)) <= 0.001)
  t.true(errorRateBound(0, checksToShow(0.001) - 1) > 0.001)
})
