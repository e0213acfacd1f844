/**
 * Benchmark: the networked path against run-local. One publisher and one contributor in this
 * process on loopback, quorum 1, the contributor on `--threads` threads, `--tasks` tasks of ~1 ms;
 * then run-local on the same workload and threads in the same run. Prints both rates, their ratio
 * (target ≥ 0.8) and the gossip bytes per task (claims, results and batches as stored or sent).
 *
 *     node test/bench/swarm.ts [--tasks 20000 --threads 2 --no-sandbox]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createPeer, type Peer } from '@p2pc/node'
import { createStore } from '@p2pc/store'
import { runLocal } from '@p2pc/runtime'
import { spin } from '../fixtures/workloads/busy/index.js'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    threads: { type: 'string', default: '2' },
    // Runs the contributor's tasks in its own threads, to tell the sandbox's share of the cost.
    'no-sandbox': { type: 'boolean', default: false },
  },
})
const tasks = Number(values.tasks)
const threads = Number(values.threads)
const workloadDir = fileURLToPath(new URL('../fixtures/workloads/busy/', import.meta.url))
const root = await mkdtemp(join(tmpdir(), 'p2pc-bench-swarm-'))
const iterations = calibrate()
const params = { tasks, iterations }
const timers = { heartbeatMs: 200, tickMs: 20, syncMs: 60_000, redialMs: 1000 }
console.log(`${tasks} tasks of ~1 ms (${iterations} iterations), quorum 1, ${threads} threads`)

const started = performance.now()
const publisher = createPeer({
  dataDir: join(root, 'publisher'),
  listen: ['/ip4/127.0.0.1/tcp/0'],
  mdns: false,
  ...timers,
})
await publisher.start()
const contributor = createPeer({
  dataDir: join(root, 'contributor'),
  listen: ['/ip4/127.0.0.1/tcp/0'],
  mdns: false,
  bootstrap: publisher.addresses(),
  contribute: true,
  threads,
  sandbox: !values['no-sandbox'],
  trust: [publisher.peerId],
  ...timers,
})
await contributor.start()
const jobId = await publisher.publish(workloadDir, params, { quorum: 1, batchSize: 500 })
await complete(publisher, jobId)
const swarmRate = tasks / ((performance.now() - started) / 1000)
await contributor.stop()
await publisher.stop()

const store = createStore({ dir: join(root, 'publisher') })
await store.start()
const stored = store.envelopes({ jobId })
const bytes = stored.reduce((sum, row) => sum + row.bytes.length, 0)
await store.stop()

const localStarted = performance.now()
await runLocal(workloadDir, { params, threads, cacheDir: join(root, 'bundles') })
const localRate = tasks / ((performance.now() - localStarted) / 1000)
await rm(root, { recursive: true, force: true })

console.log(`run-local          : ${localRate.toFixed(0)} tasks/s`)
console.log(`swarm, quorum 1    : ${swarmRate.toFixed(0)} tasks/s`)
console.log(`ratio              : ${(swarmRate / localRate).toFixed(3)} (target ≥ 0.8)`)
console.log(
  `stored bytes / task: ${(bytes / tasks).toFixed(0)} (announce, batches, results; claims are not kept)`,
)

function complete(peer: Peer, id: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (peer.jobs().find((job) => job.jobId === id)?.status === 'complete') {
        clearInterval(timer)
        resolve()
      }
    }
    const timer = setInterval(check, 50)
  })
}

function calibrate(): number {
  for (let n = 100_000; ; n *= 2) {
    const begun = performance.now()
    spin(n)
    const elapsed = performance.now() - begun
    if (elapsed > 20) return Math.round(n / elapsed)
  }
}
