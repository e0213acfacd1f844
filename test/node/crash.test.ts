import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import type { Peer, PeerInit } from '@p2pc/node'
import { openEnvelope, resultsOf } from '@p2pc/protocol'
import { createStore, type Store } from '@p2pc/store'
import type { FoldCheckpoint } from '../../workloads/hp-fold/src/index.ts'
import { CHECKPOINT_EVERY } from '../../workloads/hp-fold/src/constants.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'
import { FAST_TIMERS, jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { peerProcess } from '../helpers/spawn-peer.ts'

/** A one-thread contributor on `dataDir` that joins and trusts `publisher`, for a peer process. */
function contributorOf(publisher: Peer, dataDir: string): PeerInit {
  return {
    dataDir,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
    ...FAST_TIMERS,
  }
}

test('a contributor killed with SIGKILL keeps every result the swarm had from it', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const init = contributorOf(publisher, dataDir)
  const { child, peerId } = await peerProcess(t, init)

  const jobId = await publisher.publish(
    workloadDir('primes'),
    { upTo: 4_000_000, chunk: 100_000 },
    { quorum: 1 },
  )
  const validatedFromChild = async (): Promise<number> =>
    (await publisher.results(jobId)).contributors.find((c) => c.peer === peerId)?.validated ?? 0
  await waitFor(
    publisher,
    async () => (await validatedFromChild()) >= 5,
    60_000,
    'five results from the child',
  )
  child.kill('SIGKILL')
  await once(child, 'exit')
  const seen = await validatedFromChild()

  const store = createStore({ dir: dataDir })
  await store.start()
  t.teardown(() => store.stop())
  const kept = await answersKept(store, jobId)
  t.true(kept >= seen, `the publisher has ${seen} results from the child, the child's log ${kept}`)
  t.true(store.envelopeIds(jobId, 'TaskBatch').length > 0, 'the job itself was kept too')

  // The job still completes without it.
  await startContributor(t, publisher)
  await jobComplete(publisher, jobId)
  t.deepEqual((await publisher.results(jobId)).aggregate, { count: 283146 })
})

test('a contributor killed with SIGKILL in the middle of a long hp-fold task resumes from its checkpoint', async (t) => {
  t.timeout(300_000)
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const init = contributorOf(publisher, dataDir)
  const first = await peerProcess(t, init)
  // One task of tens of seconds: it saves its first checkpoint at once, the next ones every 5 s.
  const steps = 20_000_000
  const jobId = await publisher.publish(workloadDir('hp-fold'), { tasks: 1, steps }, { quorum: 1 })
  const key = `${jobId}/0`

  // The contributor's own database, read beside it: SQLite's WAL lets a reader in while it writes.
  const store = createStore({ dir: dataDir })
  await store.start()
  t.teardown(() => store.stop())
  const savedStep = (): number | undefined => (store.loadCheckpoint(key) as FoldCheckpoint | undefined)?.step
  const startedAt = performance.now()
  while ((savedStep() ?? 0) < 2 * CHECKPOINT_EVERY) {
    if (performance.now() - startedAt > 120_000) throw new Error('no second checkpoint within 2 minutes')
    await sleep(50)
  }
  first.child.kill('SIGKILL')
  await once(first.child, 'exit')
  const firstRunMs = performance.now() - startedAt
  const resumeFrom = savedStep()!

  const second = await peerProcess(t, init)
  t.is(second.peerId, first.peerId)
  // Every state the second run saves: one that ran from the start would save step CHECKPOINT_EVERY first.
  const saved: number[] = []
  const watch = setInterval(() => {
    const step = savedStep()
    if (step !== undefined && step !== (saved.at(-1) ?? resumeFrom)) saved.push(step)
  }, 25)
  t.teardown(() => clearInterval(watch))
  await jobComplete(publisher, jobId, 240_000)
  clearInterval(watch)

  t.true(saved.length > 0, 'the second run saved checkpoints')
  t.true(
    saved.every((step) => step > resumeFrom),
    `the second run saved steps ${saved.join(', ')} after resuming from step ${resumeFrom}`,
  )
  t.is(
    saved[0],
    resumeFrom + CHECKPOINT_EVERY,
    'its first checkpoint is the first one after the resumed step',
  )
  // The first run did at least `resumeFrom` steps; the second did the rest, where a restart from zero does all.
  const secondRunSteps = steps - resumeFrom
  t.true(secondRunSteps < steps)
  const results = await publisher.results(jobId)
  const credit = results.contributors.find((c) => c.peer === first.peerId)?.credit
  t.log(
    `killed at step ${resumeFrom} of ${steps} after ${(firstRunMs / 1000).toFixed(1)} s; ` +
      `the second run did ${secondRunSteps} steps in ${credit?.toFixed(1)} s, ` +
      `${((100 * resumeFrom) / steps).toFixed(0)} % less than a restart from zero`,
  )
  // The contributor deletes it only once its answer is kept and sent, a moment after the publisher has it.
  const sentAt = performance.now()
  while (store.loadCheckpoint(key) !== undefined && performance.now() - sentAt < 30_000) await sleep(50)
  t.is(store.loadCheckpoint(key), undefined, 'the checkpoint is deleted once the result is published')
  // The default 20-mer's optimum, which a search this long finds, resumed or not.
  t.is((results.aggregate as { energy: number }).energy, -9)
})

/** How many task answers a store holds for a job, in Results and ResultBatches alike. */
async function answersKept(store: Store, jobId: string): Promise<number> {
  let answers = 0
  for (const { bytes } of store.envelopes({ jobId })) {
    const { message } = await openEnvelope(bytes)
    if (message.type === 'Result' || message.type === 'ResultBatch') answers += resultsOf(message).length
  }
  return answers
}
