import test from 'ava'
import { DiskFullError } from '@p2pc/store'
import { DiskFullRetry } from '@p2pc/node'

function fullTimes(n: number): { write: () => string; calls: () => number } {
  let calls = 0
  return {
    write: () => {
      if (calls++ < n)
        throw new DiskFullError('the disk of /data is full: database or disk is full (SQLITE_FULL)')
      return 'kept'
    },
    calls: () => calls,
  }
}

test('writes that find the disk full try again until there is space, and say when the disk is full and when not', async (t) => {
  const changes: Array<string | undefined> = []
  const disk = new DiskFullRetry({ retryMs: 5, onChange: (error) => changes.push(error?.message) })
  disk.start()
  // One disk for both writers: full for the first five writes that try it.
  const shared = fullTimes(5)
  const kept = Promise.all([disk.write(shared.write), disk.write(shared.write)])
  await Promise.resolve()
  t.regex(disk.error!.message, /is full: database or disk is full/)
  t.deepEqual(await kept, ['kept', 'kept'])
  t.is(shared.calls(), 7)
  t.is(disk.error, undefined)
  t.deepEqual(changes, ['the disk of /data is full: database or disk is full (SQLITE_FULL)', undefined])
})

test('other errors are the caller’s at once, and stop() gives up the writes that wait for space', async (t) => {
  const disk = new DiskFullRetry({ retryMs: 60_000, onChange: () => {} })
  disk.start()
  await t.throwsAsync(
    disk.write(() => {
      throw new Error('SQLITE_IOERR')
    }),
    { message: 'SQLITE_IOERR' },
  )
  const waiting = disk.write(fullTimes(Infinity).write)
  await Promise.resolve()
  disk.stop()
  await t.throwsAsync(waiting, { name: 'DiskFullError' })
})

test('a checkpoint on a full disk is skipped, not thrown, and counts as the disk being full', (t) => {
  const changes: Array<string | undefined> = []
  const disk = new DiskFullRetry({ retryMs: 5, onChange: (error) => changes.push(error?.name) })
  disk.start()
  const checkpoint = fullTimes(1)
  t.notThrows(() => disk.attempt(checkpoint.write))
  t.is(disk.error?.name, 'DiskFullError')
  disk.attempt(checkpoint.write)
  t.deepEqual(changes, ['DiskFullError', undefined])
})
