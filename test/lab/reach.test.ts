// Real p2pc processes across a NAT lab: a relay on the WAN, a publisher behind a cone NAT, a
// contributor behind another cone NAT and one behind a symmetric NAT. Each test makes its own lab.
// Skipped, with the reason, where the lab cannot run (not root).
import test, { type ExecutionContext } from 'ava'
import { p2pc, runLocalAggregate } from '../helpers/cli.ts'
import {
  LONGER_PRIMES_PARAMS,
  PRIMES_PARAMS,
  connectionsOf,
  eventually,
  publishPrimes,
  relayStatusOf,
  startHomeContributor,
  startLabSwarm,
  startRelay,
} from '../helpers/lab-swarm.ts'
import { createNatLab, natLabUnavailable, type NatLab } from '../helpers/nat-lab.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'

const unavailable = await natLabUnavailable()
const labTest = unavailable === undefined ? test.serial : test.skip
const titled = (title: string): string =>
  unavailable === undefined ? title : `${title} (skipped: ${unavailable})`

async function lab(t: ExecutionContext): Promise<NatLab> {
  const made = await createNatLab()
  t.teardown(() => made.stop())
  return made
}

interface Printed {
  status: string
  aggregate: unknown
  tasks: { total: number; validated: number }
  contributors: Array<{ peer: string; validated: number }>
}

async function waitForResults(dataDir: string, jobId: string): Promise<Printed> {
  const results = await p2pc(['results', jobId, '--wait', '--json', '--data-dir', dataDir], {
    timeoutMs: 240_000,
  })
  if (results.code !== 0) throw new Error(`results failed: ${results.stderr}`)
  return JSON.parse(results.stdout) as Printed
}

labTest(
  titled(
    'publisher and contributors in three homes, one behind a symmetric NAT, meet through the relay and finish the job',
  ),
  async (t) => {
    const swarm = await startLabSwarm(t, await lab(t))
    const jobId = await publishPrimes(swarm.publisherDir)
    const printed = await waitForResults(swarm.publisherDir, jobId)
    t.is(printed.status, 'complete')
    t.deepEqual(
      printed.aggregate,
      await runLocalAggregate(workloadDir('primes'), PRIMES_PARAMS, await temporaryDir(t)),
    )
    const workers = new Map(printed.contributors.map((c) => [c.peer, c.validated]))
    for (const contributor of swarm.contributors) t.true((workers.get(contributor.peerId) ?? 0) > 0)

    // Cone to cone: the relayed connection gave way to a direct WebRTC one.
    const [cone] = swarm.contributors
    await eventually(
      async () =>
        (await connectionsOf(swarm.publisherDir)).some((c) => c.peer === cone!.peerId && !c.relayed),
      60_000,
      'a direct connection between the two cone homes',
    )
    const toCone = (await connectionsOf(swarm.publisherDir)).filter((c) => c.peer === cone!.peerId)
    t.true(toCone.length > 0 && toCone.every((c) => !c.relayed), JSON.stringify(toCone))
    // Symmetric NAT: only the relay carries it.
    const symmetric = swarm.contributors[1]!
    const toSymmetric = (await connectionsOf(swarm.publisherDir)).filter((c) => c.peer === symmetric.peerId)
    t.true(
      toSymmetric.every((c) => c.relayed),
      JSON.stringify(toSymmetric),
    )
  },
)

labTest(titled('the relay is killed and restarted mid-job: the job completes'), async (t) => {
  const made = await lab(t)
  const swarm = await startLabSwarm(t, made)
  const jobId = await publishPrimes(swarm.publisherDir, ['--lease', '20s'], LONGER_PRIMES_PARAMS)
  await swarm.contributors[1]!.waitForLine((event) => event.event === 'task started')
  swarm.relay.child.kill('SIGKILL')
  await new Promise((resolve) => swarm.relay.child.once('exit', resolve))
  // Asked once the relay is gone, so that the job is known to outlast it.
  const without = await p2pc(['results', jobId, '--json', '--data-dir', swarm.publisherDir])
  t.is((JSON.parse(without.stdout) as Printed).status, 'open')
  const restarted = await startRelay(t, made, swarm.relayDir)
  t.is(restarted.peerId, swarm.relay.peerId)
  // Every home reserves a slot on the restarted relay again (a named relay's reservation would not be
  // made again: js-libp2p#3601).
  await eventually(
    async () => (await relayStatusOf(swarm.relayDir))?.reservations === 1 + swarm.contributors.length,
    60_000,
    'every home to reserve a slot on the restarted relay',
  )
  const printed = await waitForResults(swarm.publisherDir, jobId)
  t.is(printed.status, 'complete')
  t.deepEqual(
    printed.aggregate,
    await runLocalAggregate(workloadDir('primes'), LONGER_PRIMES_PARAMS, await temporaryDir(t)),
  )
  // The symmetric home can only be reached through the relay: its work after the restart proves
  // it reserved a slot there again.
  const symmetric = printed.contributors.find((c) => c.peer === swarm.contributors[1]!.peerId)
  t.true((symmetric?.validated ?? 0) > 0)
})

labTest(
  titled(
    'a contributor restarted without --bootstrap rejoins from its address book and works on the next job',
  ),
  async (t) => {
    const made = await lab(t)
    const swarm = await startLabSwarm(t, made)
    t.is(
      (await waitForResults(swarm.publisherDir, await publishPrimes(swarm.publisherDir))).status,
      'complete',
    )
    const [first] = swarm.contributors
    first!.child.kill('SIGKILL')
    await new Promise((resolve) => first!.child.once('exit', resolve))
    const again = await startHomeContributor(
      t,
      made,
      made.homes[1]!,
      swarm.contributorDirs[0]!,
      swarm.publisher.peerId,
    )
    t.is(again.peerId, first!.peerId)
    // Quorum 2 with two contributors, the plain vote: the job completes only if the restarted one
    // works on it. (Adaptive, the other one, credible after the first job's checks, could do it alone.)
    const next = await publishPrimes(swarm.publisherDir, ['--verification', 'strict'])
    const printed = await waitForResults(swarm.publisherDir, next)
    t.is(printed.status, 'complete')
    t.true((printed.contributors.find((c) => c.peer === again.peerId)?.validated ?? 0) > 0)
  },
)

labTest(
  titled("the publisher's node stops, and results --wait alone on its data dir follows the job to the end"),
  async (t) => {
    const made = await lab(t)
    const swarm = await startLabSwarm(t, made)
    const jobId = await publishPrimes(swarm.publisherDir, [], LONGER_PRIMES_PARAMS)
    // The contributors have the bundle once they run a task: the publisher may go.
    await Promise.all(swarm.contributors.map((c) => c.waitForLine((event) => event.event === 'task started')))
    swarm.publisher.child.kill('SIGTERM')
    await new Promise((resolve) => swarm.publisher.child.once('exit', resolve))
    // It went while the job was open, so that only the swarm can finish it for the reader. Asked
    // after it went, not before: the job must not have ended in between.
    const left = await p2pc(['results', jobId, '--json', '--data-dir', swarm.publisherDir])
    t.is((JSON.parse(left.stdout) as Printed).status, 'open')
    // No --bootstrap and no mDNS: the peer this command starts knows the swarm from its address book.
    const results = await p2pc(
      ['results', jobId, '--wait', '--json', '--no-mdns', '--data-dir', swarm.publisherDir],
      { timeoutMs: 240_000, netns: made.homes[0]!.ns },
    )
    t.is(results.code, 0, results.stderr)
    const printed = JSON.parse(results.stdout) as Printed
    t.is(printed.status, 'complete')
    t.deepEqual(
      printed.aggregate,
      await runLocalAggregate(workloadDir('primes'), LONGER_PRIMES_PARAMS, await temporaryDir(t)),
    )
  },
)
