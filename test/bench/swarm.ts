/**
 * Benchmark: the networked path against run-local. One publisher and one contributor in this
 * process on loopback, quorum 1, the contributor on `--threads` threads in its sandbox, `--tasks`
 * tasks of ~1 ms; and run-local on the same workload and threads, in the same run. Rounds
 * alternate between the two and the best of each counts, so that a burst of other load on the
 * machine does not decide the ratio. Prints both rates, their ratio (target ≥ 0.8) and the gossip
 * bytes per task. The job is the plain vote in the open (`strict`, public answers): the path is
 * measured, not the defence against cheaters.
 *
 * A job's time runs from `publish` (bundling, planning, signing, announcing) until the publisher
 * holds every validated result; the peers are up before, as a contributor's peer would be. Run-local's
 * time is the whole call, bundling included.
 *
 *     node test/bench/swarm.ts [--tasks 20000 --threads 2 --rounds 2 --no-sandbox]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runLocal } from '@p2pc/runtime'
import { calibrate } from './calibrate.ts'
import { runSwarmJob, type SwarmRun } from './swarm-run.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    // Runs the contributor's tasks in its own threads, to tell the sandbox's share of the cost.
    'no-sandbox': { type: 'boolean', default: false },
  },
})
const tasks = Number(values.tasks)
const threads = Number(values.threads)
const rounds = Number(values.rounds)
const workloadDir = fileURLToPath(new URL('../fixtures/workloads/busy/', import.meta.url))
const root = await mkdtemp(join(tmpdir(), 'p2pc-bench-swarm-'))
const iterations = calibrate(1)
const params = { tasks, iterations }
console.log(
  `${tasks} tasks of ~1 ms (${iterations} iterations), quorum 1, ${threads} threads, ${rounds} rounds`,
)

let bestLocal = 0
let bestSwarm = 0
let storedBytes = 0
let gossipBytes = 0
for (let round = 0; round < rounds; round++) {
  const local = await localRate(join(root, `local-${round}`))
  const swarm = await swarmRate(join(root, `swarm-${round}`))
  console.log(
    `round ${round + 1}: run-local ${local.toFixed(0)} tasks/s, swarm ${swarm.rate.toFixed(0)} tasks/s`,
  )
  bestLocal = Math.max(bestLocal, local)
  bestSwarm = Math.max(bestSwarm, swarm.rate)
  storedBytes = swarm.storedBytes
  gossipBytes = swarm.gossipBytes
}
await rm(root, { recursive: true, force: true })

console.log(`run-local          : ${bestLocal.toFixed(0)} tasks/s (best)`)
console.log(`swarm, quorum 1    : ${bestSwarm.toFixed(0)} tasks/s (best)`)
console.log(`ratio              : ${(bestSwarm / bestLocal).toFixed(3)} (target ≥ 0.8)`)
console.log(
  `gossip bytes / task: ${(gossipBytes / tasks).toFixed(0)} (envelopes both peers published, without gossipsub framing)`,
)
console.log(
  `stored bytes / task: ${(storedBytes / tasks).toFixed(0)} (announce, batches, results; claims are not kept)`,
)

async function localRate(dir: string): Promise<number> {
  const started = performance.now()
  await runLocal(workloadDir, { params, threads, cacheDir: join(dir, 'bundles') })
  return tasks / ((performance.now() - started) / 1000)
}

function swarmRate(dir: string): Promise<SwarmRun> {
  return runSwarmJob({
    dir,
    workloadDir,
    params,
    tasks,
    quorum: 1,
    contributors: 1,
    threadsEach: threads,
    sandbox: !values['no-sandbox'],
  })
}
