/**
 * Benchmark: p2pc against what a Node user would pick instead, in one run, with the same task
 * function and the same threads for every system:
 *
 * - a bare Piscina pool (the baseline every ratio is to);
 * - BullMQ on a local redis-server, its sandboxed processor in worker threads, concurrency = threads;
 * - `run-local`;
 * - the swarm on loopback, quorum 1, one contributor on every thread;
 * - the swarm, quorum 2, two contributors sharing the threads (every task computed twice).
 *
 * Each runs tasks of ~1 ms, then trivial tasks (a spin of one round), where only the overhead of
 * each system is left. Rounds alternate between the systems, and the best of each counts, so that
 * a burst of other load does not decide a ratio. The swarm's jobs are the plain vote in the open:
 * the path is measured, not the defence against cheaters. Timings never fail anything.
 *
 *     npm run bench:compare [-- --tasks 4000 --trivial-tasks 4000 --threads 2 --rounds 2 --json]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Queue, Worker } from 'bullmq'
import { runLocal } from '@p2pc/runtime'
import { barePoolRate } from './bare-pool.ts'
import { calibrate } from './calibrate.ts'
import { REDIS_MISSING, startRedis, type RedisServer } from './redis-server.ts'
import { runSwarmJob } from './swarm-run.ts'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '4000' },
    'trivial-tasks': { type: 'string', default: '4000' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
})
const threads = Number(values.threads)
const rounds = Number(values.rounds)
for (const [flag, value] of [
  ['--tasks', Number(values.tasks)],
  ['--trivial-tasks', Number(values['trivial-tasks'])],
  ['--threads', threads],
  ['--rounds', rounds],
] as const) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench:compare: ${flag} must be a whole number of at least 1`)
    process.exit(2)
  }
}
if (threads < 2) {
  console.error('bench:compare: --threads must be at least 2, so that two contributors can share them')
  process.exit(2)
}

const SYSTEMS = ['piscina', 'bullmq', 'runLocal', 'swarmQ1', 'swarmQ2'] as const
type System = (typeof SYSTEMS)[number]
type Rates = Record<System, number | null>

const say = (line: string): void => {
  if (!values.json) console.log(line)
}
const workloadDir = fileURLToPath(new URL('../fixtures/workloads/busy/', import.meta.url))
const root = await mkdtemp(join(tmpdir(), 'p2pc-bench-compare-'))
const redis = await startRedis()
if (redis === undefined) console.error(`bench:compare: ${REDIS_MISSING}`)

try {
  const iterations = calibrate(1)
  say(
    `tasks of ~1 ms (${iterations} iterations) and trivial tasks, ${threads} threads, best of ${rounds} rounds`,
  )
  const busy = await measure(Number(values.tasks), iterations, 'busy')
  const trivial = await measure(Number(values['trivial-tasks']), 1, 'trivial')
  if (values.json) {
    console.log(JSON.stringify({ threads, iterations, tasksPerSec: busy, trivialTasksPerSec: trivial }))
  } else {
    print('~1 ms tasks', busy)
    print('trivial tasks', trivial)
    say('targets (ratios in this run):')
    target('run-local / bare Piscina', busy.runLocal, busy.piscina, 0.95)
    target('swarm q1 / run-local', busy.swarmQ1, busy.runLocal, 0.9)
    target('swarm q1 / BullMQ', busy.swarmQ1, busy.bullmq, 1.3)
    target('trivial tasks, swarm q1 / BullMQ', trivial.swarmQ1, trivial.bullmq, 1.0)
  }
} finally {
  await redis?.stop()
  await rm(root, { recursive: true, force: true })
}

/** Every system's best rate over the rounds, for `tasks` tasks of `iterations` spins each (plus the task's index). */
async function measure(tasks: number, iterations: number, label: string): Promise<Rates> {
  const best: Rates = {
    piscina: 0,
    bullmq: redis === undefined ? null : 0,
    runLocal: 0,
    swarmQ1: 0,
    swarmQ2: 0,
  }
  const params = { tasks, iterations }
  for (let round = 0; round < rounds; round++) {
    const dir = join(root, `${label}-${round}`)
    const rates: Rates = {
      piscina: await piscinaRate(tasks, iterations, dir),
      bullmq: redis === undefined ? null : await bullmqRate(redis, tasks, iterations, `${label}-${round}`),
      runLocal: await runLocalRate(tasks, params, dir),
      swarmQ1: (await swarm(dir, 'q1', params, tasks, 1)).rate,
      swarmQ2: (await swarm(dir, 'q2', params, tasks, 2)).rate,
    }
    say(`${label} round ${round + 1}: ${SYSTEMS.map((s) => `${s} ${format(rates[s])}`).join(', ')}`)
    for (const system of SYSTEMS) {
      const rate = rates[system]
      if (rate !== null) best[system] = Math.max(best[system] ?? 0, rate)
    }
  }
  return best
}

function piscinaRate(tasks: number, iterations: number, dir: string): Promise<number> {
  return barePoolRate({ workloadDir, cacheDir: join(dir, 'piscina'), threads, tasks, iterations })
}

async function bullmqRate(
  server: RedisServer,
  tasks: number,
  iterations: number,
  name: string,
): Promise<number> {
  const connection = { host: '127.0.0.1', port: server.port }
  const queue = new Queue(`compare-${name}`, { connection })
  const started = performance.now()
  const worker = new Worker(queue.name, fileURLToPath(new URL('./bullmq-processor.mjs', import.meta.url)), {
    connection,
    concurrency: threads,
    useWorkerThreads: true,
    removeOnComplete: { count: 0 },
  })
  const done = new Promise<void>((resolve, reject) => {
    let completed = 0
    worker.on('completed', () => {
      if (++completed === tasks) resolve()
    })
    worker.on('failed', (_job, error) => reject(error))
  })
  await queue.addBulk(
    Array.from({ length: tasks }, (_, i) => ({ name: 'task', data: { iterations: iterations + i } })),
  )
  await done
  const rate = tasks / ((performance.now() - started) / 1000)
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  return rate
}

async function runLocalRate(tasks: number, params: unknown, dir: string): Promise<number> {
  const started = performance.now()
  await runLocal(workloadDir, { params, threads, cacheDir: join(dir, 'run-local') })
  return tasks / ((performance.now() - started) / 1000)
}

function swarm(dir: string, name: string, params: unknown, tasks: number, quorum: number) {
  return runSwarmJob({
    dir: join(dir, name),
    workloadDir,
    params,
    tasks,
    quorum,
    contributors: quorum,
    threadsEach: Math.floor(threads / quorum),
    sandbox: true,
  })
}

function print(title: string, rates: Rates): void {
  say(`${title}:`)
  for (const system of SYSTEMS) {
    const rate = rates[system]
    const ratio =
      rate === null || rates.piscina === null ? '' : `  ${(rate / rates.piscina).toFixed(3)} of bare Piscina`
    say(`  ${system.padEnd(8)} ${format(rate).padStart(12)}${ratio}`)
  }
}

function target(name: string, numerator: number | null, denominator: number | null, goal: number): void {
  if (numerator === null || denominator === null) return say(`  ${name}: skipped (${REDIS_MISSING})`)
  const ratio = numerator / denominator
  say(`  ${name}: ${ratio.toFixed(3)} (target ≥ ${goal}, ${ratio >= goal ? 'met' : 'not met'})`)
}

function format(rate: number | null): string {
  return rate === null ? 'skipped' : `${rate.toFixed(0)} tasks/s`
}
