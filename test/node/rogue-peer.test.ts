// The rogue-peer suite: a libp2p peer the test controls joins a real swarm of `p2pc` processes
// (a node and two contributors) in the middle of a job and attacks it in every way at once. The
// job must still complete with the run-local aggregate, the honest processes' memory must stay
// bounded, and the rogue's identities must earn nothing.
//
// The second contributor joins only once every attack has sent a few rounds. With a quorum of two
// the job cannot end before it, so the attacks meet the running job however fast the machine is.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import test from 'ava'
import { DEFAULT_STRANGER_JOBS } from '@p2pc/node'
import { MARKET_TOPIC, jobTopic } from '@p2pc/protocol'
import { p2pc, runLocalAggregate } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc, startCliSwarm } from '../helpers/cli-process.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'
import { hasProc } from '../helpers/process-cpu.ts'
import {
  floodAnnouncesOnTimer,
  floodJunk,
  floodStreamsOnTimer,
  jamClaims,
  lieAboutDurations,
} from '../helpers/rogue-attacks.ts'
import { hostileHost } from '../helpers/rogue.ts'

const PARAMS = { upTo: 3_000_000, chunk: 100_000 }
const TASKS = 30
/** How long the attacked job may take, start to end: minutes, where it takes seconds unattacked. */
const JOB_BOUND_MS = 5 * 60_000
/**
 * Most resident memory an honest process may gain under the attack, over what it held before.
 * Unbounded, the flood grew them by about 430 MiB; bounded, about 110 MiB, some of it garbage a
 * loaded machine collects late.
 */
const RSS_GROWTH_BOUND_MB = 160

/** Rounds every attack must have sent before the second contributor may join. */
const ROUNDS_BEFORE_QUORUM = 4

/** Resident memory of a process, in MiB, from /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

test('a rogue peer attacking a running job in every way at once: the job completes right, memory stays bounded, the rogue earns nothing', async (t) => {
  if (!hasProc) return t.pass('resident memory is read from /proc: Linux only')
  const root = await temporaryDir(t)
  const expected = await runLocalAggregate(workloadDir('primes'), JSON.stringify(PARAMS), join(root, 'local'))

  const { nodeDir, bootstrap, node, workers } = await startCliSwarm(t, root, 1)
  const honest = [node, ...workers]

  const published = await p2pc([
    'publish',
    workloadDir('primes'),
    '--params',
    JSON.stringify(PARAMS),
    '--quorum',
    '2',
    '--lease',
    '10s',
    '--data-dir',
    nodeDir,
    '--json',
  ])
  t.is(published.code, 0, published.stderr)
  const { jobId } = JSON.parse(published.stdout) as { jobId: string }

  // Mid-job: the rogue joins every honest peer and hears both topics.
  await workers[0]!.waitForLine((event) => event.event === 'task done')
  const baseline = honest.map((peer) => rssMb(peer.child.pid!))
  const rogue = await hostileHost(t)
  rogue.services.pubsub.subscribe(MARKET_TOPIC)
  rogue.services.pubsub.subscribe(jobTopic(jobId))
  for (const peer of honest) await rogue.dial(multiaddr(peer.addresses[0]!))
  const nodeId = peerIdFromString(node.peerId)
  while (!rogue.services.pubsub.getSubscribers(jobTopic(jobId)).some((p) => p.equals(nodeId))) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  const streamTargets = honest.map((peer) => peerIdFromString(peer.peerId))
  const attacks = [
    floodJunk(rogue, jobId),
    jamClaims(rogue, jobId, TASKS),
    lieAboutDurations(rogue, jobId, TASKS, (task, key) => ({ count: 1_000_000 * key + task }), 250),
    floodAnnouncesOnTimer(rogue),
    floodStreamsOnTimer(rogue, streamTargets),
  ]
  const peaks = honest.map(() => 0)
  const sampler = setInterval(() => {
    honest.forEach((peer, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(peer.child.pid!))))
  }, 250)
  t.teardown(() => clearInterval(sampler))

  while (!attacks.every((attack) => attack.rounds >= ROUNDS_BEFORE_QUORUM)) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const late = await spawnP2pc(t, contributeArgs(join(root, 'contributor-1'), bootstrap, node.peerId))
  // It has no baseline from before the attack, so its memory is not judged.
  workers.push(late)
  // The stream flood reads its targets each round, so the newcomer is flooded from now on.
  streamTargets.push(peerIdFromString(late.peerId))
  await rogue.dial(multiaddr(late.addresses[0]!))

  const results = await p2pc(['results', jobId, '--wait', '--json', '--data-dir', nodeDir], {
    timeoutMs: JOB_BOUND_MS,
  })
  clearInterval(sampler)
  for (const attack of attacks) await attack.stop()
  t.is(results.code, 0, results.stderr)
  const printed = JSON.parse(results.stdout) as {
    aggregate: unknown
    tasks: unknown
    contributors: Array<{ peer: string; validated: number; credit: number }>
  }
  t.deepEqual(printed.tasks, { total: TASKS, validated: TASKS, failed: 0, pending: 0 })
  t.deepEqual(printed.aggregate, expected)
  t.log(`attack rounds while the job ran: ${attacks.map((attack) => attack.rounds).join(', ')}`)

  const mib = (list: number[]): string => list.map((mb) => mb.toFixed(0)).join(', ')
  t.log(`resident MiB of node, contributors: before ${mib(baseline)}; peak ${mib(peaks)}`)
  peaks.forEach((peak, i) =>
    t.true(peak - baseline[i]! < RSS_GROWTH_BOUND_MB, `${mib([baseline[i]!, peak])} MiB`),
  )

  // What the flood of junk jobs left behind is bounded: strangers' jobs in the node's store.
  const status = await p2pc(['status', '--json', '--data-dir', nodeDir])
  t.is(status.code, 0, status.stderr)
  const { strangerJobs } = JSON.parse(status.stdout) as { strangerJobs: { kept: number; forgotten: number } }
  t.log(`strangers' jobs on the node: ${strangerJobs.kept} kept, ${strangerJobs.forgotten} forgotten`)
  t.true(strangerJobs.kept <= DEFAULT_STRANGER_JOBS)

  const rogueIds = new Set(attacks.flatMap((attack) => attack.signers))
  for (const entry of printed.contributors) {
    if (rogueIds.has(entry.peer)) t.like(entry, { validated: 0, credit: 0 })
  }
  const honestValid = printed.contributors
    .filter((entry) => workers.some((w) => w.peerId === entry.peer))
    .reduce((sum, entry) => sum + entry.validated, 0)
  // Two honest answers per task, or one from a contributor its passed checks made credible (the
  // default verification is adaptive).
  t.true(honestValid >= TASKS && honestValid <= 2 * TASKS, `${honestValid} honest validated results`)
})
