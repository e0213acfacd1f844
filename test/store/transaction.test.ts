// A full disk, for real: the store on a small tmpfs that the test fills up and frees again.
import { join } from 'node:path'
import test from 'ava'
import { sealEnvelope, type SealedEnvelope } from '@p2pc/protocol'
import { createStore } from '@p2pc/store'
import { smallDisk, smallDiskUnavailable } from '../helpers/small-disk.ts'
import { JOB_ID, keyFromSeed } from '../protocol/fixtures.ts'

const title =
  'a write on a full disk fails as DiskFullError, not as a failed rollback, and succeeds once there is space'
const needsDisk = smallDiskUnavailable === undefined ? test : test.skip

needsDisk(
  smallDiskUnavailable === undefined ? title : `${title} (skipped: ${smallDiskUnavailable})`,
  async (t) => {
    const disk = await smallDisk(t, 1024)
    const dir = join(disk.dir, 'data')
    const store = createStore({ dir })
    await store.start()
    t.teardown(() => store.stop())
    const key = await keyFromSeed(5)
    const claim = (task: number): Promise<SealedEnvelope> =>
      sealEnvelope(
        { type: 'Claim', v: 1, jobId: JOB_ID, tasks: [task], leaseEnd: 1_700_000_000_000 + task },
        key,
      )
    t.true(await store.appendEnvelope(await claim(0)))

    await disk.fill()
    const full = /^the disk of .+ is full: /
    const put = await claim(1)
    const onePut = t.throws(() => store.putEnvelope(put))
    t.is(onePut?.name, 'DiskFullError')
    t.regex(onePut!.message, full)
    t.regex(onePut!.message, /database or disk is full \(SQLITE_FULL\)$/)
    const appended = await claim(2)
    const groupCommit = await t.throwsAsync(store.appendEnvelope(appended))
    t.is(groupCommit?.name, 'DiskFullError')
    t.regex(groupCommit!.message, /database or disk is full \(SQLITE_FULL\)$/)
    const checkpoint = t.throws(() => store.saveCheckpoint('job/1', { state: 'x'.repeat(200_000) }))
    t.is(checkpoint?.name, 'DiskFullError')
    const blob = await t.throwsAsync(store.blobs.put(new Uint8Array(100_000).fill(7)))
    t.is(blob?.name, 'DiskFullError')
    t.regex(blob!.message, /is full: ENOSPC/)
    t.false(store.hasEnvelope(put.id), 'nothing of a failed write is kept')

    await disk.free()
    t.true(store.putEnvelope(put), 'the same write succeeds once there is space')
    t.true(await store.appendEnvelope(appended))
    store.saveCheckpoint('job/1', { state: 'small' })
    t.deepEqual(store.loadCheckpoint('job/1'), { state: 'small' })
    t.true(await store.blobs.has(await store.blobs.put(new Uint8Array(100_000).fill(7))))
    t.deepEqual(
      store.envelopes().map((row) => row.id),
      [(await claim(0)).id, put.id, appended.id],
    )
  },
)
