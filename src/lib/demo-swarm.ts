import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPeer, localPeerApi, type JobResults, type Peer } from '@p2pc/node'
import { UsageError } from '../errors.ts'
import { followJob } from './follow-job.ts'

/**
 * The folder of the workload `name` among the workload packages in `workloadsDir`, checked
 * before any peer starts.
 *
 * @throws UsageError listing the workloads there when `name` is not one of them
 */
export async function demoWorkloadDir(workloadsDir: string, name: string): Promise<string> {
  const entries = await readdir(workloadsDir, { withFileTypes: true })
  const names = entries
    .filter((entry) => entry.isDirectory() && existsSync(join(workloadsDir, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort()
  if (!names.includes(name)) {
    throw new UsageError(
      `--workload ${name} is not a workload of the demo: choose one of ${names.join(', ')}`,
    )
  }
  return join(workloadsDir, name)
}

/** Options of {@link runDemoSwarm}. */
export interface DemoOptions {
  workloadDir: string
  contributors: number
  params?: unknown
  /** Progress and the summary go here; null for none. */
  log: ((line: string) => void) | null
  bar: boolean
  signal?: AbortSignal
}

/**
 * A whole swarm on loopback in this process: one publisher and N contributors, each a real
 * libp2p peer with its own data dir, store and sandboxed pool. It publishes the workload with
 * quorum 2, follows it to the end, and removes every trace afterwards.
 */
export async function runDemoSwarm(
  options: DemoOptions,
): Promise<{ jobId: string; publisher: string; results: JobResults }> {
  const root = await mkdtemp(join(tmpdir(), 'p2pc-demo-'))
  const peers: Peer[] = []
  const timers = { heartbeatMs: 200, tickMs: 100, syncMs: 2000, redialMs: 500 }
  const start = async (name: string, init: Parameters<typeof createPeer>[0]): Promise<Peer> => {
    const peer = createPeer(init)
    peers.push(peer)
    await peer.start()
    options.log?.(`${name.padEnd(13)} ${peer.peerId}`)
    return peer
  }
  try {
    const listen = ['/ip4/127.0.0.1/tcp/0']
    const publisher = await start('publisher', {
      dataDir: join(root, 'publisher'),
      listen,
      mdns: false,
      ...timers,
    })
    for (let i = 1; i <= options.contributors; i++) {
      await start(`contributor ${i}`, {
        dataDir: join(root, `contributor-${i}`),
        listen,
        mdns: false,
        bootstrap: publisher.addresses(),
        contribute: true,
        threads: 1,
        trust: [publisher.peerId],
        ...timers,
      })
    }
    options.signal?.throwIfAborted()
    const api = localPeerApi(publisher)
    const { jobId } = await api.publish(options.workloadDir, options.params, { quorum: 2 })
    options.log?.(`published job ${jobId} (quorum 2)`)
    const results = await followJob(api, jobId, { bar: options.bar, signal: options.signal })
    return { jobId, publisher: publisher.peerId, results }
  } finally {
    await Promise.allSettled(peers.map((peer) => peer.stop()))
    await rm(root, { recursive: true, force: true })
  }
}
