/**
 * Embeds p2pc in a program: a publisher peer and two contributor peers, each a real libp2p
 * node on loopback with its own data dir. The publisher publishes `workloads/primes`, waits
 * until every task is settled, and prints the aggregate as one line of JSON on stdout.
 *
 * Run it with `npm start -w examples/embed`, optionally with the params as JSON:
 * `npm start -w examples/embed -- '{"upTo": 10000000}'`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPeer, type Peer } from '@p2pc/node'

const PRIMES = fileURLToPath(new URL('../../../workloads/primes', import.meta.url))
const params: unknown = JSON.parse(process.argv[2] ?? '{"upTo": 2000000, "chunk": 100000}')

const root = await mkdtemp(join(tmpdir(), 'p2pc-embed-'))
const peers: Peer[] = []
// Loopback only, and no multicast DNS: this swarm finds its members through the publisher.
const network = { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false }

try {
  const publisher = createPeer({ dataDir: join(root, 'publisher'), ...network })
  peers.push(publisher)
  await publisher.start()

  for (let i = 1; i <= 2; i++) {
    const contributor = createPeer({
      dataDir: join(root, `contributor-${i}`),
      ...network,
      bootstrap: publisher.addresses(),
      contribute: true,
      threads: 1,
      // Contributors run only the jobs of publishers they trust.
      trust: [publisher.peerId],
    })
    peers.push(contributor)
    await contributor.start()
  }

  const jobId = await publisher.publish(PRIMES, params, { quorum: 2 })
  console.error(`published job ${jobId}`)
  await settled(publisher, jobId)

  const { aggregate } = await publisher.results(jobId)
  console.log(JSON.stringify(aggregate))
} finally {
  await Promise.allSettled(peers.map((peer) => peer.stop()))
  await rm(root, { recursive: true, force: true })
}

/** Resolves once every task of the job is validated or failed, logging each step on stderr. */
function settled(peer: Peer, jobId: string): Promise<void> {
  return new Promise((resolve) => {
    let logged = -1
    const check = (): void => {
      const job = peer.jobs().find((known) => known.jobId === jobId)
      if (job === undefined) return
      const { total, validated, failed } = job.tasks
      if (validated + failed !== logged)
        console.error(`${(logged = validated + failed)}/${total} tasks settled`)
      if (job.status === 'complete') {
        peer.removeEventListener('progress', check)
        resolve()
      }
    }
    // The peer emits `progress` whenever a job's counts may have changed.
    peer.addEventListener('progress', check)
    check()
  })
}
