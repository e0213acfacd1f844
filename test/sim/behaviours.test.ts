import test from 'ava'
import { runSimulation } from '@p2pc/sim'
import type { SimulationOptions } from '@p2pc/sim'

const SMALL: SimulationOptions = { peers: 40, tasks: 400, quorum: 2, seed: 1 }

test('20% wrong peers at quorum 2: every task validated, no wrong output accepted, the cheaters blocked and unpaid', (t) => {
  const report = runSimulation({ ...SMALL, cheaters: 0.2, behaviour: 'wrong' })
  t.is(report.validated, 400)
  t.is(report.failed, 0)
  t.is(report.wrongAccepted, 0)
  t.true(report.readersAgree)
  const wrong = report.behaviours.wrong!
  const honest = report.behaviours.honest!
  t.is(wrong.peers, 8)
  t.true(wrong.resultsSent > 0)
  t.is(wrong.valid, 0)
  t.is(wrong.invalid, wrong.resultsSent)
  t.is(wrong.blocked, 8)
  t.is(wrong.creditMs, 0)
  t.is(honest.blocked, 0)
  t.is(honest.invalid, 0)
  // Every wrong answer is a replica that had to be run again: more than the quorum per task.
  t.true(report.replicasPerTask > 2.2)
})

test('10% colluders that choose their tasks together beat the plain vote: lies accepted, and paid', (t) => {
  // The baseline that spot checks answer (test/sim/verification.test.ts): walking one order, the
  // colluders pile onto the same tasks, and a quorum of them outvotes nobody, so nothing blocks them.
  const options = { ...SMALL, cheaters: 0.1, behaviour: 'colluding' as const }
  for (const quorum of [2, 3]) {
    const report = runSimulation({ ...options, quorum })
    t.is(report.completed, 400)
    t.true(report.readersAgree)
    const colluding = report.behaviours.colluding!
    t.true(report.wrongAccepted > 0, `quorum ${quorum}: ${report.wrongAccepted} wrong accepted`)
    t.true(colluding.valid > 0)
    t.true(colluding.creditMs > 0)
  }
})

test('20% copycats: nothing wrong is accepted, but copies make up quorums and earn credit', (t) => {
  const report = runSimulation({ ...SMALL, cheaters: 0.2, behaviour: 'copycat' })
  t.is(report.validated, 400)
  t.is(report.wrongAccepted, 0)
  t.true(report.readersAgree)
  const copycat = report.behaviours.copycat!
  t.true(copycat.resultsSent > 0)
  // The market cannot tell a copy from a computation: a baseline for future spot checks.
  t.true(report.unverifiedAccepted > 0)
  t.true(copycat.creditMs > 0)
  t.is(copycat.blocked, 0)
})

test('20% ghosts: their leases run out and every task is still validated, later', (t) => {
  const honest = runSimulation(SMALL)
  const report = runSimulation({ ...SMALL, cheaters: 0.2, behaviour: 'ghost' })
  t.is(report.validated, 400)
  t.true(report.readersAgree)
  t.is(report.behaviours.ghost!.resultsSent, 0)
  t.true(report.messages.claims > honest.messages.claims)
  t.true(report.simTimeMs > honest.simTimeMs)
})

test('10% flooders: junk does not derail the market, no task starves, the flooders get blocked', (t) => {
  const report = runSimulation({ ...SMALL, cheaters: 0.1, behaviour: 'flood' })
  t.is(report.validated, 400)
  t.is(report.wrongAccepted, 0)
  t.true(report.readersAgree)
  t.true(report.messages.junk > 100)
  const flood = report.behaviours.flood!
  t.is(flood.blocked, flood.peers)
  t.is(flood.creditMs, 0)
  t.is(report.behaviours.honest!.blocked, 0)
})
