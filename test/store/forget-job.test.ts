import test from 'ava'
import { jobIdOf, peerIdOf, sealEnvelope } from '@p2pc/protocol'
import { createStore } from '@p2pc/store'
import { temporaryDir } from '../helpers/paths.ts'
import { inlineBatch, inlineResult, jobAnnounce, keyFromSeed } from '../protocol/fixtures.ts'

async function jobOf(seed: number) {
  const key = await keyFromSeed(seed)
  const announce = await sealEnvelope(jobAnnounce(peerIdOf(key)), key)
  const jobId = jobIdOf(announce.message as never)
  const others = await Promise.all(
    [inlineBatch(), inlineResult()].map((message) => sealEnvelope({ ...message, jobId }, key)),
  )
  return { jobId, envelopes: [announce, ...others] }
}

test('forgetJob deletes a job from the log, its row and checkpoints, in one go, and it stays gone after a restart', async (t) => {
  const dir = await temporaryDir(t)
  const kept = await jobOf(1)
  const forgotten = await jobOf(2)
  const store = createStore({ dir, groupCommitMs: 60_000, now: () => 42 })
  await store.start()
  store.putEnvelopes([...kept.envelopes, forgotten.envelopes[0]!, forgotten.envelopes[1]!])
  // One envelope of the job still waits for its group commit: it must not be written after the delete.
  const late = store.appendEnvelope(forgotten.envelopes[2]!)
  store.saveCheckpoint(`${forgotten.jobId}/3`, { step: 1 })
  store.saveCheckpoint(`${kept.jobId}/3`, { step: 2 })
  t.deepEqual(
    store.envelopes().map((row) => row.receivedAt),
    [42, 42, 42, 42, 42],
  )

  t.is(store.forgetJob(forgotten.jobId), 3)
  t.true(await late)
  t.deepEqual(store.envelopeIds(forgotten.jobId), [])
  t.deepEqual(
    store.jobs().map((job) => job.jobId),
    [kept.jobId],
  )
  t.is(store.loadCheckpoint(`${forgotten.jobId}/3`), undefined)
  t.deepEqual(store.loadCheckpoint(`${kept.jobId}/3`), { step: 2 })
  t.is(store.forgetJob(forgotten.jobId), 0)
  await store.stop()

  const reopened = createStore({ dir })
  await reopened.start()
  t.teardown(() => reopened.stop())
  t.deepEqual(
    reopened.envelopes().map((row) => row.id),
    kept.envelopes.map((envelope) => envelope.id),
  )
  await reopened.rebuildDerived()
  t.is(reopened.jobs().length, 1)
})
