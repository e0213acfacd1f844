import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import test from 'ava'
import { openEnvelope, resultsOf } from '@p2pc/protocol'
import { createStore, type Store } from '@p2pc/store'
import { repoRoot, temporaryDir, workloadDir } from '../helpers/paths.ts'
import { FAST_TIMERS, jobComplete, startPeer, waitFor } from '../helpers/peers.ts'

test('a contributor killed with SIGKILL keeps every result the swarm had from it', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const init = {
    dataDir,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
    ...FAST_TIMERS,
  }
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'test', 'helpers', 'peer-process.ts'), JSON.stringify(init)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  t.teardown(() => child.kill('SIGKILL'))
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
  const { peerId } = JSON.parse(line) as { peerId: string }

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
  await startPeer(t, {
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
  })
  await jobComplete(publisher, jobId)
  t.deepEqual((await publisher.results(jobId)).aggregate, { count: 283146 })
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
