// One swarm job on loopback, timed: a publisher and its contributors in this process, shared by
// the swarm and comparison benchmarks.
import { join } from 'node:path'
import { createPeer, type Peer } from '@p2pc/node'
import { createStore } from '@p2pc/store'

/** Short timers, so that a benchmark of seconds is not paced by heartbeats meant for the internet. */
const TIMERS = { heartbeatMs: 200, tickMs: 20, syncMs: 60_000, redialMs: 1000 }

export interface SwarmRunOptions {
  /** A fresh directory for the peers' data. */
  dir: string
  workloadDir: string
  params: unknown
  tasks: number
  quorum: number
  /** Contributors, each on `threadsEach` threads. */
  contributors: number
  threadsEach: number
  sandbox: boolean
}

export interface SwarmRun {
  /** Tasks per second, from `publish` until the publisher holds every validated result. */
  rate: number
  /** Envelope bytes every peer published, without gossipsub framing. */
  gossipBytes: number
  /** Envelope bytes the publisher's store keeps of the job. */
  storedBytes: number
}

/** Publishes one job to contributors that are up and connected, and times it to the end. */
export async function runSwarmJob(options: SwarmRunOptions): Promise<SwarmRun> {
  const publisher = createPeer({
    dataDir: join(options.dir, 'publisher'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    ...TIMERS,
  })
  await publisher.start()
  const contributors: Peer[] = []
  for (let i = 0; i < options.contributors; i++) {
    const contributor = createPeer({
      dataDir: join(options.dir, `contributor-${i}`),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: false,
      bootstrap: publisher.addresses(),
      contribute: true,
      threads: options.threadsEach,
      sandbox: options.sandbox,
      trust: [publisher.peerId],
      ...TIMERS,
    })
    await contributor.start()
    contributors.push(contributor)
  }
  await poll(() => publisher.connections().length >= options.contributors)
  const started = performance.now()
  // The plain vote in the open: what is measured is the path, not the defence against cheaters.
  const jobId = await publisher.publish(options.workloadDir, options.params, {
    quorum: options.quorum,
    batchSize: 500,
    verification: 'strict',
    answers: 'public',
  })
  await poll(() => publisher.jobs().find((job) => job.jobId === jobId)?.status === 'complete')
  const rate = options.tasks / ((performance.now() - started) / 1000)
  let gossipBytes = publisher.status().gossip.sentBytes
  for (const contributor of contributors) gossipBytes += contributor.status().gossip.sentBytes
  for (const contributor of contributors) await contributor.stop()
  await publisher.stop()

  const store = createStore({ dir: join(options.dir, 'publisher') })
  await store.start()
  const storedBytes = store.envelopes({ jobId }).reduce((sum, row) => sum + row.bytes.length, 0)
  await store.stop()
  return { rate, gossipBytes, storedBytes }
}

function poll(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!check()) return
      clearInterval(timer)
      resolve()
    }, 20)
  })
}
