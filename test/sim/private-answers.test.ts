// Private answers in the simulator: copycats copy what they see on gossip. Where answers are
// public they make up quorums and earn credit for no work; where they are boxed for the publisher
// there is nothing to copy, every accepted task was computed by its quorum, and readers still agree.
import test from 'ava'
import { runSimulation } from '@p2pc/sim'
import type { SimulationOptions } from '@p2pc/sim'

const COPYCATS: SimulationOptions = {
  peers: 100,
  tasks: 2000,
  quorum: 2,
  seed: 1,
  cheaters: 0.1,
  behaviour: 'copycat',
}

test('public answers: copycats are paid for copies (the baseline this defends against)', (t) => {
  const report = runSimulation(COPYCATS)
  t.is(report.answers, 'public')
  t.true(report.unverifiedAccepted > 0, `${report.unverifiedAccepted} unverified accepted`)
  t.true(report.behaviours.copycat!.creditMs > 0)
})

test('private answers: copycats find nothing to copy, earn nothing, and every task is computed by its quorum', (t) => {
  const report = runSimulation({ ...COPYCATS, answers: 'private' })
  t.is(report.answers, 'private')
  t.is(report.validated, 2000)
  t.is(report.unverifiedAccepted, 0)
  t.is(report.wrongAccepted, 0)
  t.true(report.readersAgree, 'observers tally what the seals open, as the publisher does')
  t.is(report.behaviours.copycat!.valid, 0)
  t.is(report.behaviours.copycat!.creditMs, 0)
  // The publisher's seals decide every task for readers.
  t.is(report.verifiedBy.sealed, 2000)
})

test('private answers with liars: disagreement only the publisher sees still raises targets, and no wrong answer is accepted', (t) => {
  const report = runSimulation({
    ...COPYCATS,
    answers: 'private',
    mix: [
      { behaviour: 'wrong', fraction: 0.1 },
      { behaviour: 'copycat', fraction: 0.05 },
    ],
  })
  t.is(report.completed, 2000)
  t.is(report.wrongAccepted, 0)
  t.true(report.readersAgree)
  t.true(report.replicasMax > 2, 'some tasks asked for more than the quorum')
  t.is(report.behaviours.wrong!.valid, 0)
})

test('the simulator refuses answers that are neither public nor private', (t) => {
  t.throws(() => runSimulation({ ...COPYCATS, answers: 'secret' as 'public' }), {
    message: /answers must be public or private/,
  })
})

test('private answers, adaptive, Sybils that lie once credible: every task ends, the ones a caught liar had settled alone by the publisher’s own answer', (t) => {
  // A Sybil's lone validation is revealed; once a check catches it the task opens again, and the
  // answers heard while it stood were never opened. Without the publisher answering such a task
  // itself, every seed of this run left a few tasks pending for the whole simulated week.
  const report = runSimulation({
    peers: 300,
    tasks: 5000,
    quorum: 2,
    seed: 1,
    cheaters: 0.2,
    behaviour: 'sybil',
    verification: 'adaptive',
    answers: 'private',
  })
  t.false(report.timedOut)
  t.is(report.pending, 0)
  t.is(report.validated + report.failed, 5000)
  t.true(report.readersAgree)
  t.true(report.behaviours.sybil!.caught > 0)
})
