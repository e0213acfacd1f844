/**
 * Benchmark: the market simulator at scale, 1,000 honest peers and 100,000 tasks at quorum 2,
 * against a baseline measured in the same run: a tenth of the peers on a tenth of the tasks,
 * so that the network is as crowded. Prints both wall times, the wall time per task and their
 * ratio (1 means the simulator's cost grows linearly with the run; the target for the full run
 * is under 60 s), then the full run's report. Never fails on a timing.
 *
 *     node test/bench/sim.ts [--peers 1000 --tasks 100000 --seed 1]
 */
import { parseArgs } from 'node:util'
import { formatReport, runSimulation } from '@p2pc/sim'
import type { SimulationReport } from '@p2pc/sim'

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '1000' },
    tasks: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
  },
})
const peers = Number(values.peers)
const tasks = Number(values.tasks)
const seed = Number(values.seed)

function run(peerCount: number, taskCount: number): SimulationReport {
  const report = runSimulation({ peers: peerCount, tasks: taskCount, quorum: 2, seed })
  const perTask = (report.wallMs / taskCount) * 1000
  console.log(
    `${peerCount} peers × ${taskCount} tasks: ${(report.wallMs / 1000).toFixed(2)} s wall, ` +
      `${perTask.toFixed(1)} µs per task, ${report.validated} validated, ${report.replicasPerTask} replicas per task`,
  )
  return report
}

const baseline = run(Math.max(1, Math.round(peers / 10)), Math.max(1, Math.round(tasks / 10)))
const full = run(peers, tasks)
const ratio = full.wallMs / full.tasks / (baseline.wallMs / baseline.tasks)
console.log(`wall time per task, full run / baseline (a tenth of the peers and tasks): ${ratio.toFixed(2)}`)
console.log(
  `full run under 60 s: ${full.wallMs < 60_000 ? 'yes' : 'NO'} (${(full.wallMs / 1000).toFixed(1)} s)`,
)
console.log()
console.log(formatReport(full))
