import test from 'ava'
import { InvalidSimulationOptionsError, runSimulation } from '@p2pc/sim'
import type { SimulationOptions, SimulationReport } from '@p2pc/sim'

function withoutWall(report: SimulationReport): Omit<SimulationReport, 'wallMs'> {
  const { wallMs: _wallMs, ...rest } = report
  return rest
}

const EVERYTHING: SimulationOptions = {
  peers: 40,
  tasks: 300,
  cheaters: 0.2,
  behaviour: 'colluding',
  loss: 0.1,
  churn: 0.2,
  partitions: [{ startMs: 3000, endMs: 20_000, groups: 2 }],
}

test('the same seed gives the same report, wall time aside; another seed another', (t) => {
  const first = runSimulation({ ...EVERYTHING, seed: 7 })
  const again = runSimulation({ ...EVERYTHING, seed: 7 })
  t.deepEqual(withoutWall(again), withoutWall(first))
  const other = runSimulation({ ...EVERYTHING, seed: 8 })
  t.notDeepEqual(withoutWall(other), withoutWall(first))
  t.true(first.readersAgree)
})

test('honest peers, 5% loss, 10% churn: every task validated at little more than the quorum', (t) => {
  const report = runSimulation({ peers: 100, tasks: 2000, quorum: 2, loss: 0.05, churn: 0.1, seed: 1 })
  t.is(report.validated, 2000)
  t.is(report.completed, 2000)
  t.is(report.failed, 0)
  t.is(report.wrongAccepted, 0)
  t.true(report.replicasPerTask >= 2 && report.replicasPerTask <= 2.1, `${report.replicasPerTask}`)
  t.true(report.readersAgree)
  t.false(report.timedOut)
  // The churn and the loss did happen.
  t.true(report.churned.left >= 10 && report.churned.returned > 0 && report.churned.joinedLate > 0)
  t.true(report.messages.deliveries < 3 * (report.messages.claims + report.messages.results + 1))
})

test('a partition: both sides work on, and once it heals every reader agrees', (t) => {
  const report = runSimulation({
    peers: 40,
    tasks: 400,
    loss: 0.05,
    partitions: [{ startMs: 5000, endMs: 40_000, groups: 2 }],
  })
  t.is(report.validated, 400)
  t.true(report.readersAgree)
  // The sides did not see each other's claims and results: they did much of the work twice.
  t.true(report.replicasPerTask > 2.3, `${report.replicasPerTask}`)
})

test('a run that hits the time cap says so and leaves tasks pending', (t) => {
  const report = runSimulation({ peers: 10, tasks: 500, maxTimeMs: 5000 })
  t.true(report.timedOut)
  t.is(report.simTimeMs, 5000)
  t.true(report.pending > 0)
  t.is(report.completed + report.pending, 500)
  t.true(report.readersAgree)
})

test('options are checked at the boundary', (t) => {
  const bad: SimulationOptions[] = [
    { peers: 0 },
    { tasks: 1.5 },
    { quorum: 3, maxReplicas: 2 },
    { cheaters: 1.5 },
    { behaviour: 'evil' as never },
    { loss: 1 },
    { leaseMs: 10 },
    { partitions: [{ startMs: 10, endMs: 5, groups: 2 }] },
    { partitions: [{ startMs: 0, endMs: 5, groups: 1 }] },
  ]
  for (const options of bad) {
    const error = t.throws(() => runSimulation(options), { instanceOf: InvalidSimulationOptionsError })
    t.regex(error.message, /^options\.\w+/)
  }
})
