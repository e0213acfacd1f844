// Private answers: in a job whose announce says `answers: 'private'`, a Result carries only a
// commitment and a box for the publisher. Copies get nothing: the publisher opens what it counted
// once the task is settled, readers tally what its seal opens, and what came later counts for nobody.
import test from 'ava'
import fc from 'fast-check'
import { CREDIBLE_AFTER_CHECKS, createMarket } from '@p2pc/market'
import type { Market, MarketAction, MarketEnvelope } from '@p2pc/market'
import { commitmentOf, failureHashOf, outputHashOf } from '@p2pc/protocol'
import type { Json, Opening, Result, Seal } from '@p2pc/protocol'
import { PUBLISHER, arrivalOrder, observe, peer, plain, plainJob, result } from './fixtures.ts'

const HONEST = peer(1)
const OTHER = peer(2)
const COPYCAT = peer(3)
const LIAR = peer(4)

/** What a contributor knows of its own private answer: the envelope everyone sees, and its opening. */
interface Answer {
  envelope: MarketEnvelope
  opening: Opening
  output: Json | undefined
}

/** A private answer by `signer`: a salted commitment to the output's hash, and a box nobody here reads. */
function privateAnswer(signer: string, jobId: string, task: number, output: Json, durationMs = 100): Answer {
  return boxed(signer, jobId, task, outputHashOf(output), output, undefined, durationMs)
}

/** A private answer that says the task failed with `error`. */
function privateFailure(signer: string, jobId: string, task: number, error: string): Answer {
  return boxed(signer, jobId, task, failureHashOf(error), undefined, error)
}

function boxed(
  signer: string,
  jobId: string,
  task: number,
  outputHash: string,
  output: Json | undefined,
  error: string | undefined,
  durationMs = 100,
): Answer {
  const salt = saltOf(signer, task)
  const message: Result = {
    type: 'Result',
    v: 1,
    jobId,
    task,
    outputHash: commitmentOf(outputHash, signer, salt),
    box: Buffer.from(`${signer}:${task}`).toString('base64url'),
    runtime: 'node-24/x64',
    durationMs,
  }
  const opening: Opening =
    error === undefined ? { signer, outputHash, salt } : { signer, outputHash, salt, error }
  return { envelope: plain(signer, message), opening, output }
}

function saltOf(signer: string, task: number): string {
  return outputHashOf(`${signer}#${task}`)
    .slice(-32)
    .replace(/[^0-9a-f]/g, 'a')
}

/** A copy of someone's private answer under the copycat's own key: the same commitment and box. */
function copyOf(answer: Answer, signer = COPYCAT): MarketEnvelope {
  return plain(signer, answer.envelope.message)
}

function privateJob(overrides: Parameters<typeof plainJob>[0] = {}) {
  return plainJob({ taskCount: 1, quorum: 2, maxReplicas: 4, answers: 'private', ...overrides })
}

/** The job's publisher: a market that judges outputs (it has the workload's code) and never claims. */
function publisherOf(...envelopes: MarketEnvelope[]): Market {
  const market = createMarket({ self: PUBLISHER, maxActiveClaims: 0 })
  for (const envelope of envelopes) market.receive(envelope, 0)
  return market
}

function readerOf(...envelopes: MarketEnvelope[]): Market {
  const market = createMarket({ self: peer(9), maxActiveClaims: 0 })
  for (const envelope of envelopes) market.receive(envelope, 0)
  return market
}

/** The publisher's seal and opening actions, as the Seal its driver would sign (one for all of them). */
function sealFrom(jobId: string, actions: MarketAction[]): MarketEnvelope & { message: Seal } {
  const seal: Seal = { type: 'Seal', v: 1, jobId, tasks: [] }
  for (const action of actions) {
    if (action.type === 'seal') seal.tasks.push({ task: action.task, outputHash: action.outputHash })
    if (action.type === 'open') (seal.opened ??= []).push(action.opened)
    if (action.type === 'target') (seal.targets ??= []).push({ task: action.task, target: action.target })
  }
  return plain(PUBLISHER, seal)
}

/** The publisher hears answers and opens each (its driver read the box), then signs what it asks. */
function publish(market: Market, jobId: string, answers: Answer[]): MarketEnvelope & { message: Seal } {
  market.setOutputCheck(jobId, undefined)
  for (const answer of answers) {
    market.receive(answer.envelope, 0)
    market.open(jobId, (answer.envelope.message as Result).task, answer.opening, answer.output)
  }
  return sealFrom(jobId, market.takeActions())
}

test('before the seal nobody but the publisher can tally a private answer, and every answer counts as on its way', (t) => {
  const { jobId, job, inputs } = privateJob()
  const one = privateAnswer(HONEST, jobId, 0, 'right')
  const reader = readerOf(job, inputs, one.envelope)
  const task = reader.task(jobId, 0, 0)!
  t.is(task.status, 'pending')
  t.is(task.tally.distinct, 0)
  t.is(task.needed, 1, 'one answer is on its way: the quorum of 2 wants one more')
  reader.receive(privateAnswer(OTHER, jobId, 0, 'right').envelope, 0)
  t.is(reader.task(jobId, 0, 0)!.needed, 0)
  t.is(reader.task(jobId, 0, 0)!.status, 'pending', 'no opening: no tally')
})

test("the publisher's seal opens the answers it counted; a copy heard before it opens nothing, and earns nothing", (t) => {
  const { jobId, job, inputs } = privateJob({ maxReplicas: 6 })
  const honest = privateAnswer(HONEST, jobId, 0, 'right', 500)
  const other = privateAnswer(OTHER, jobId, 0, 'right', 700)
  const publisher = publisherOf(job, inputs)
  // The copycat copies the honest box and commitment: its copy commits to nothing under its key.
  publisher.receive(copyOf(honest), 0)
  // A made-up opening for the copy, with the honest signer's salt, opens nothing either.
  t.false(publisher.open(jobId, 0, { ...honest.opening, signer: COPYCAT }, 'right'))
  const seal = publish(publisher, jobId, [honest, other])
  t.is(publisher.task(jobId, 0, 0)!.status, 'validated')
  t.deepEqual(seal.message.tasks, [{ task: 0, outputHash: outputHashOf('right') }])
  t.deepEqual(
    seal.message.opened?.[0]?.answers.map((opening) => opening.signer),
    [HONEST, OTHER].sort(),
  )
  t.is(seal.message.opened?.[0]?.output, 'right')

  const reader = readerOf(job, inputs, copyOf(honest), honest.envelope, other.envelope, seal)
  const tally = reader.task(jobId, 0, 0)!.tally
  t.is(tally.status, 'validated')
  t.is(tally.output, 'right')
  t.deepEqual(tally.valid, [HONEST, OTHER].sort())
  t.is(reader.signer(COPYCAT).creditMs, 0)
  t.is(reader.signer(COPYCAT).valid, 0)
  t.true(reader.signer(HONEST).creditMs > 0)
})

test('an answer that comes after its task is settled is never opened: a copy of the revealed output earns nothing', (t) => {
  const { jobId, job, inputs } = privateJob()
  const honest = privateAnswer(HONEST, jobId, 0, 'right')
  const other = privateAnswer(OTHER, jobId, 0, 'right')
  const publisher = publisherOf(job, inputs)
  const seal = publish(publisher, jobId, [honest, other])
  // With the seal public, the copycat commits to the revealed output under its own key.
  const late = privateAnswer(COPYCAT, jobId, 0, 'right')
  publisher.receive(seal, 0)
  publisher.receive(late.envelope, 0)
  t.false(
    publisher.open(jobId, 0, late.opening, late.output),
    'the publisher opens nothing of a settled task',
  )
  t.deepEqual(
    publisher.takeActions().filter((action) => action.type === 'open'),
    [],
  )
  const reader = readerOf(job, inputs, late.envelope, honest.envelope, seal, other.envelope)
  for (const market of [publisher, reader]) {
    t.deepEqual(market.task(jobId, 0, 0)!.tally.valid, [HONEST, OTHER].sort())
    t.is(market.signer(COPYCAT).creditMs, 0)
  }
})

test('every reader reaches the publisher’s tally in any order of answers, copies and seal', (t) => {
  const { jobId, job, inputs } = privateJob({ taskCount: 2, maxReplicas: 6 })
  const answers = [
    privateAnswer(HONEST, jobId, 0, 'a0'),
    privateAnswer(OTHER, jobId, 0, 'a0'),
    privateAnswer(LIAR, jobId, 0, 'wrong'),
    privateAnswer(HONEST, jobId, 1, 'a1'),
    privateAnswer(LIAR, jobId, 1, 'wrong'),
    privateAnswer(OTHER, jobId, 1, 'a1'),
  ]
  const publisher = publisherOf(job, inputs)
  const seal = publish(publisher, jobId, answers)
  publisher.receive(seal, 0)
  const envelopes = [job, inputs, seal, copyOf(answers[0]!), ...answers.map((answer) => answer.envelope)]
  const expected = observe(publisher, jobId)
  t.is(expected.progress?.validated, 2)
  fc.assert(
    fc.property(arrivalOrder(envelopes.length), (order) => {
      const reader = readerOf(...order.map((i) => envelopes[i]!))
      t.deepEqual(observe(reader, jobId), expected)
    }),
    { numRuns: 50 },
  )
})

test('where answers are private, an answer in the open means nothing, and a boxed one means nothing where they are public', (t) => {
  const secret = privateJob()
  const reader = readerOf(secret.job, secret.inputs)
  t.false(reader.receive(plain(HONEST, result(secret.jobId, 0, 'right')), 0))
  t.is(reader.task(secret.jobId, 0, 0)!.needed, 2)
  const open = plainJob({ taskCount: 1 })
  const other = readerOf(open.job, open.inputs)
  t.false(other.receive(privateAnswer(HONEST, open.jobId, 0, 'right').envelope, 0))
  // Heard before the announce, each waits and is judged by it.
  const early = readerOf(plain(HONEST, result(secret.jobId, 0, 'right')), secret.job, secret.inputs)
  t.is(early.task(secret.jobId, 0, 0)!.needed, 2)
})

test('answers that disagree raise the target the publisher alone can see, and readers follow its word', (t) => {
  const { jobId, job, inputs } = privateJob({ maxReplicas: 5 })
  const honest = privateAnswer(HONEST, jobId, 0, 'right')
  const liar = privateAnswer(LIAR, jobId, 0, 'wrong')
  const publisher = publisherOf(job, inputs)
  const seal = publish(publisher, jobId, [honest, liar])
  t.deepEqual(seal.message.targets, [{ task: 0, target: 3 }])
  t.deepEqual(seal.message.opened, undefined, 'nothing is opened while the task is open')
  const reader = readerOf(job, inputs, honest.envelope, liar.envelope)
  t.is(reader.task(jobId, 0, 0)!.needed, 0, 'two answers for a quorum of two, as far as a reader can tell')
  reader.receive(seal, 0)
  t.is(reader.task(jobId, 0, 0)!.needed, 1)
})

test('the publisher raises the target for an answer of a signer it leaves out, which a reader may not yet leave out', (t) => {
  const { jobId, job, inputs } = privateJob({ taskCount: 2, maxReplicas: 5 })
  const caughtLie = privateAnswer(LIAR, jobId, 0, 'wrong')
  const spotCheck = plain(PUBLISHER, { ...result(jobId, 0, 'right'), check: true })
  const publisher = publisherOf(job, inputs)
  publish(publisher, jobId, [caughtLie])
  publisher.receive(spotCheck, 0)
  const settled = sealFrom(jobId, publisher.takeActions())
  // Task 1: the caught liar's answer counts for nothing at the publisher, the honest one does.
  const answers = [privateAnswer(LIAR, jobId, 1, 'right'), privateAnswer(HONEST, jobId, 1, 'right')]
  const seal = publish(publisher, jobId, answers)
  t.is(publisher.task(jobId, 1, 0)!.needed, 1)
  t.deepEqual(seal.message.targets, [{ task: 1, target: 3 }])
  // A reader that has not heard the spot check counts both answers, and follows the target.
  const reader = readerOf(job, inputs, ...answers.map((answer) => answer.envelope), seal)
  t.false(reader.spotChecks(jobId, LIAR).caught)
  t.is(reader.task(jobId, 1, 0)!.needed, 1)
  // One that has heard it leaves the liar out, and asks for the same one.
  for (const envelope of [caughtLie.envelope, spotCheck, settled]) reader.receive(envelope, 0)
  t.true(reader.spotChecks(jobId, LIAR).caught)
  t.is(reader.task(jobId, 1, 0)!.needed, 1)
})

test('an answer the publisher cannot read asks for one more in its place', (t) => {
  const { jobId, job, inputs } = privateJob()
  const honest = privateAnswer(HONEST, jobId, 0, 'right')
  const junk = privateAnswer(LIAR, jobId, 0, 'junk')
  const publisher = publisherOf(job, inputs)
  publish(publisher, jobId, [honest])
  publisher.receive(junk.envelope, 0)
  publisher.unreadable(jobId, 0, LIAR)
  const seal = sealFrom(jobId, publisher.takeActions())
  t.deepEqual(seal.message.targets, [{ task: 0, target: 3 }])
  publisher.receive(seal, 0)
  t.is(publisher.task(jobId, 0, 0)!.needed, 1)
})

test('a task whose private answers fail the same way fails for every reader once the publisher opens them', (t) => {
  const { jobId, job, inputs } = privateJob()
  const answers = [privateFailure(HONEST, jobId, 0, 'boom'), privateFailure(OTHER, jobId, 0, 'boom')]
  const publisher = publisherOf(job, inputs)
  const seal = publish(publisher, jobId, answers)
  t.is(publisher.task(jobId, 0, 0)!.status, 'failed')
  t.deepEqual(seal.message.tasks, [])
  t.is(seal.message.opened?.[0]?.answers.length, 2)
  const reader = readerOf(job, inputs, ...answers.map((answer) => answer.envelope), seal)
  t.is(reader.task(jobId, 0, 0)!.status, 'failed')
  t.is(reader.task(jobId, 0, 0)!.tally.failure?.cause, 'same-error')
})

test('only a peer that answers privately claims tasks of a job with private answers', (t) => {
  const { jobId, job, inputs } = privateJob({ taskCount: 3 })
  const trust = new Set([PUBLISHER])
  const inTheOpen = createMarket({ self: HONEST, trust })
  const privately = createMarket({ self: OTHER, trust, answersPrivately: true })
  for (const market of [inTheOpen, privately]) {
    market.receive(job, 0)
    market.receive(inputs, 0)
    market.tick(1)
  }
  t.deepEqual(inTheOpen.activeClaims(), [])
  t.is(privately.activeClaims().length, 3)
  t.true(privately.activeClaims().every((claim) => claim.jobId === jobId))
})

test("the publisher's own answer in the open means nothing either, but its spot check does", (t) => {
  const { jobId, job, inputs } = privateJob()
  const reader = readerOf(job, inputs)
  // A copycat could box the publisher's open answer as its own: only a check, sent once the task
  // is settled, travels in the open.
  t.false(reader.receive(plain(PUBLISHER, result(jobId, 0, 'right')), 0))
  t.true(reader.receive(plain(PUBLISHER, { ...result(jobId, 0, 'right'), check: true }), 0))
  t.is(reader.task(jobId, 0, 0)!.tally.verified, 'checked')
})

test('a publisher that restarts does not open or raise again what its own seals already did', (t) => {
  const { jobId, job, inputs } = privateJob({ taskCount: 2, maxReplicas: 5 })
  const answers = [privateAnswer(HONEST, jobId, 0, 'right'), privateAnswer(OTHER, jobId, 0, 'right')]
  const disagree = [privateAnswer(HONEST, jobId, 1, 'right'), privateAnswer(LIAR, jobId, 1, 'wrong')]
  const before = publisherOf(job, inputs)
  const seal = publish(before, jobId, [...answers, ...disagree])
  t.is(seal.message.opened?.length, 1)
  t.deepEqual(seal.message.targets, [{ task: 1, target: 3 }])

  // The restarted publisher replays its log (answers, then its seal) and opens the boxes again.
  const after = publisherOf(job, inputs)
  for (const answer of [...answers, ...disagree]) after.receive(answer.envelope, 0)
  after.receive(seal, 0)
  after.setOutputCheck(jobId, undefined)
  for (const answer of [...answers, ...disagree]) {
    after.open(jobId, (answer.envelope.message as Result).task, answer.opening, answer.output)
  }
  const asked = after.takeActions().filter((action) => action.type === 'open' || action.type === 'target')
  t.deepEqual(asked, [])
  t.is(after.task(jobId, 0, 0)!.status, 'validated')

  // A third answer that opens later is opened again, with all three.
  const third = privateAnswer(peer(5), jobId, 1, 'right')
  after.receive(third.envelope, 0)
  after.open(jobId, 1, third.opening, third.output)
  const next = sealFrom(jobId, after.takeActions())
  t.deepEqual(next.message.opened?.[0]?.answers.length, 3)
})

test('a task that opens again after its answers were revealed is one the publisher answers itself, once', (t) => {
  const { jobId, job, inputs } = privateJob({
    taskCount: CREDIBLE_AFTER_CHECKS + 2,
    verification: 'adaptive',
    maxReplicas: 5,
  })
  const publisher = publisherOf(job, inputs)
  const spotCheck = (task: number, output: Json) =>
    plain(PUBLISHER, { ...result(jobId, task, output), check: true })
  for (let task = 0; task < CREDIBLE_AFTER_CHECKS; task++) {
    publish(publisher, jobId, [privateAnswer(HONEST, jobId, task, task)])
    publisher.receive(spotCheck(task, task), 0)
  }
  t.true(publisher.spotChecks(jobId, HONEST).credible)
  // The credible signer lies alone on a task: its word settles it, and the seal reveals it.
  const alone = CREDIBLE_AFTER_CHECKS
  const seal = publish(publisher, jobId, [privateAnswer(HONEST, jobId, alone, 'lie')])
  t.is(publisher.task(jobId, alone, 0)!.tally.verified, 'single')
  t.true(seal.message.opened?.some((opened) => opened.task === alone))
  // An answer heard now is not opened: it may copy what the seal revealed.
  publish(publisher, jobId, [privateAnswer(OTHER, jobId, alone, 'truth')])
  t.is(publisher.task(jobId, alone, 0)!.tally.distinct, 1)
  // A check catches the liar elsewhere: the task opens again, and only the publisher can settle it.
  publisher.receive(privateAnswer(HONEST, jobId, alone + 1, 'lie').envelope, 0)
  publisher.open(jobId, alone + 1, privateAnswer(HONEST, jobId, alone + 1, 'lie').opening, 'lie')
  publisher.receive(spotCheck(alone + 1, 'truth'), 0)
  t.true(publisher.spotChecks(jobId, HONEST).caught)
  t.is(publisher.task(jobId, alone, 0)!.status, 'pending')
  const asked = publisher.takeActions().filter((action) => action.type === 'check')
  t.deepEqual(asked, [{ type: 'check', jobId, task: alone }])
  publisher.receive(spotCheck(alone, 'truth'), 0)
  t.like(publisher.task(jobId, alone, 0)!.tally, {
    status: 'validated',
    verified: 'checked',
    output: 'truth',
  })
  t.deepEqual(
    publisher.takeActions().filter((action) => action.type === 'check'),
    [],
    'asked once',
  )
})
