/**
 * Benchmark: what binding worker threads to bundles costs when a contributor runs several jobs
 * at once. The same ~1 ms task is run as one job, as two jobs in runs of `--run` tasks (a claim
 * brings several tasks of one job), as two jobs strictly alternating, and as three jobs strictly
 * alternating: more bundles than the pool keeps warm, so with one thread every task starts a
 * fresh one (that row runs only `--switch-tasks` tasks). The jobs are one bundle under several
 * file names, so only the switching differs. A bare Piscina pool whose threads run any bundle,
 * as the pool did before threads were bound to bundles, is measured in the same run. Prints the
 * rates and their ratios to the pool running one job.
 *
 *     npm run bench:jobs [-- --tasks 2000 --switch-tasks 200 --threads 1 --run 32 --sandbox]
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Piscina } from 'piscina'
import {
  DEFAULT_THREADS,
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  readWorkloadPackage,
  type TaskPool,
} from '@p2pc/runtime'
import { calibrate } from './calibrate.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '2000' },
    'switch-tasks': { type: 'string', default: '200' },
    threads: { type: 'string', default: String(DEFAULT_THREADS) },
    run: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    sandbox: { type: 'boolean', default: false },
  },
})
const tasks = Number(values.tasks)
const switchTasks = Number(values['switch-tasks'])
const threads = Number(values.threads)
const runLength = Number(values.run)
const rounds = Number(values.rounds)
const workloadDir = fileURLToPath(new URL('../fixtures/workloads/busy/', import.meta.url))
const cacheDir = await mkdtemp(join(tmpdir(), 'p2pc-bench-'))

const jobA = (await bundleWorkload(await readWorkloadPackage(workloadDir), cacheDir)).path
const jobB = join(cacheDir, 'second-job.mjs')
const jobC = join(cacheDir, 'third-job.mjs')
await copyFile(jobA, jobB)
await copyFile(jobA, jobC)

const iterations = calibrate(1)
const pool = values.sandbox ? 'sandboxed pool' : 'in-process pool'
console.log(
  `tasks of ~1 ms (${iterations} iterations) on ${threads} thread(s), ${pool}, best of ${rounds} rounds`,
)

/** The bundles of `count` tasks: `jobs` jobs taking turns, `length` tasks at a time. */
function order(count: number, jobs: number, length = 1): string[] {
  const bundles = [jobA, jobB, jobC].slice(0, jobs)
  return Array.from({ length: count }, (_, i) => bundles[Math.floor(i / length) % jobs]!)
}

/** Tasks per second, with two tasks per thread in flight, as runLocal and the peer keep them. */
async function rate(
  run: (bundle: string, i: number) => Promise<unknown>,
  bundles: string[],
): Promise<number> {
  const started = performance.now()
  let next = 0
  const runner = async (): Promise<void> => {
    while (next < bundles.length) {
      const i = next++
      await run(bundles[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: threads * 2 }, runner))
  return bundles.length / ((performance.now() - started) / 1000)
}

async function poolRate(bundles: string[]): Promise<number> {
  const taskPool: TaskPool = values.sandbox
    ? createSandboxedTaskPool({ threads, bundleDir: cacheDir })
    : createTaskPool({ threads })
  taskPool.start()
  try {
    return await rate((bundle, i) => taskPool.run({ bundle, input: { iterations: iterations + i } }), bundles)
  } finally {
    await taskPool.stop()
  }
}

async function sharedThreadsRate(bundles: string[]): Promise<number> {
  const bare = new Piscina({
    filename: new URL('./bare-worker.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  })
  try {
    return await rate((bundle, i) => bare.run({ bundle, input: { iterations: iterations + i } }), bundles)
  } finally {
    await bare.destroy()
  }
}

const rows: Array<[string, () => Promise<number>]> = [
  ['pool, one job', () => poolRate(order(tasks, 1))],
  [`pool, two jobs in runs of ${runLength}`, () => poolRate(order(tasks, 2, runLength))],
  ['pool, two jobs alternating', () => poolRate(order(tasks, 2))],
  ['pool, three jobs alternating', () => poolRate(order(switchTasks, 3))],
  ['shared threads, one job', () => sharedThreadsRate(order(tasks, 1))],
  ['shared threads, three jobs alternating', () => sharedThreadsRate(order(tasks, 3))],
]
// Round by round, so that no row always runs on a warmer or cooler machine.
const best = new Map<string, number>()
for (let round = 0; round < rounds; round++) {
  for (const [name, measure] of rows) best.set(name, Math.max(best.get(name) ?? 0, await measure()))
}
await rm(cacheDir, { recursive: true, force: true })

const baseline = best.get('pool, one job')!
const width = Math.max(...rows.map(([name]) => name.length))
for (const [name] of rows) {
  const value = best.get(name)!
  console.log(
    `${name.padEnd(width)} : ${value.toFixed(0).padStart(6)} tasks/s  ×${(value / baseline).toFixed(3)}`,
  )
}
