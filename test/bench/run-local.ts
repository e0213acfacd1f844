/**
 * Benchmark: the per-task cost of run-local's path (bundle, plan, pool with the Comlink host
 * API, reduce) against a bare Piscina pool running the same ~1 ms task function with the
 * same threads, measured in one process. Prints both rates and their ratio (target ≥ 0.9).
 *
 *     npm run bench [-- --tasks 4000 --threads 2]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runLocal } from '@p2pc/runtime'
import { barePoolRate } from './bare-pool.ts'
import { calibrate } from './calibrate.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '4000' },
    threads: { type: 'string', default: String(availableParallelism()) },
    rounds: { type: 'string', default: '3' },
  },
})
const tasks = Number(values.tasks)
const threads = Number(values.threads)
const rounds = Number(values.rounds)
const workloadDir = fileURLToPath(new URL('../fixtures/workloads/busy/', import.meta.url))
const cacheDir = await mkdtemp(join(tmpdir(), 'p2pc-bench-'))

// Size the task so that one takes about a millisecond on this machine.
const iterations = calibrate(1)
const params = { tasks, iterations }
console.log(
  `${tasks} tasks of ~1 ms (${iterations} iterations) on ${threads} threads, best of ${rounds} rounds`,
)

async function runLocalRate(): Promise<number> {
  const started = performance.now()
  await runLocal(workloadDir, { params, threads, cacheDir })
  return tasks / ((performance.now() - started) / 1000)
}

function barePiscinaRate(): Promise<number> {
  return barePoolRate({ workloadDir, cacheDir, threads, tasks, iterations })
}

// Alternate the two so that neither always runs on a warmer or cooler machine.
let bare = 0
let local = 0
for (let round = 0; round < rounds; round++) {
  bare = Math.max(bare, await barePiscinaRate())
  local = Math.max(local, await runLocalRate())
}
await rm(cacheDir, { recursive: true, force: true })

console.log(`bare Piscina pool : ${bare.toFixed(0)} tasks/s`)
console.log(`run-local path    : ${local.toFixed(0)} tasks/s`)
console.log(`ratio             : ${(local / bare).toFixed(3)} (target ≥ 0.9)`)
