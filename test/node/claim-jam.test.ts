// Claim jamming through a real swarm: a rogue host claims every task of a job, again and again,
// each time under two fresh keys, with hour-long leases. Claims are hints that cost nothing to
// sign, so they must not keep the tasks from honest contributors.
import test from 'ava'
import { jobTopic, peerIdOf, sealEnvelope } from '@p2pc/protocol'
import { workloadDir } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { startRogue } from '../helpers/rogue.ts'

const PARAMS = { upTo: 1_000_000, chunk: 100_000 }
const TASKS = Array.from({ length: 10 }, (_, i) => i)
/** The primes below 1,000,000. */
const AGGREGATE = { count: 78_498 }
const LEASE_MS = 3000

test('claims from fresh keys, renewed every 200 ms, do not keep a job from completing right', async (t) => {
  const publisher = await startPeer(t)
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 2, leaseMs: LEASE_MS })
  const rogue = await startRogue(t, publisher, jobId)

  const jammers: string[] = []
  let bursts = 0
  const jam = async (): Promise<void> => {
    for (const key of await rogue.freshKeys(2)) {
      jammers.push(peerIdOf(key))
      const claim = { type: 'Claim', v: 1, jobId, tasks: TASKS, leaseEnd: Date.now() + 3_600_000 } as const
      const envelope = await sealEnvelope(claim, key)
      await rogue.host.services.pubsub.publish(jobTopic(jobId), envelope.bytes).catch(() => {})
    }
    bursts++
  }
  const timer = setInterval(() => void jam(), 200)
  t.teardown(() => clearInterval(timer))
  await waitFor(publisher, () => bursts >= 5, 30_000, 'the jam is under way')

  const contributors = [await startContributor(t, publisher), await startContributor(t, publisher)]
  await jobComplete(publisher, jobId, 120_000)
  t.true(bursts > 10, `the jam went on while the job ran (${bursts} bursts)`)
  clearInterval(timer)

  const results = await publisher.results(jobId)
  t.deepEqual(results.tasks, { total: 10, validated: 10, failed: 0, pending: 0 })
  t.deepEqual(results.aggregate, AGGREGATE)
  const listed = new Set(results.contributors.map((c) => c.peer))
  for (const id of jammers) t.false(listed.has(id), 'a jammer earns nothing')
  // Every task has an honest answer among its valid ones: two, or one from a contributor that its
  // passed checks made credible (the default verification is adaptive).
  const honest = results.contributors.filter((c) => contributors.some((p) => p.peerId === c.peer))
  const honestValid = honest.reduce((sum, c) => sum + c.validated, 0)
  t.true(honestValid >= 10 && honestValid <= 20, `${honestValid} honest validated results`)
})
