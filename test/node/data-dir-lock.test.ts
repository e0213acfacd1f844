import { stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { CONTROL_SOCKET, LOCK_FILE, createPeer, lockDataDir } from '@p2pc/node'
import { temporaryDir } from '../helpers/paths.ts'

const offline = { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false }

test('a data dir is held by one lock at a time, within one process too', async (t) => {
  const dataDir = await temporaryDir(t)
  const first = await lockDataDir(dataDir)
  const refused = await t.throwsAsync(lockDataDir(dataDir), { name: 'PeerAlreadyRunningError' })
  t.is(
    refused?.message,
    `a p2pc peer already runs on the data dir ${dataDir}: stop it first, or use another data dir`,
  )
  first.release()
  first.release()
  const second = await lockDataDir(dataDir)
  second.release()
})

test('a lock file that is not the empty one p2pc made is refused, and left alone', async (t) => {
  const dataDir = await temporaryDir(t)
  await writeFile(join(dataDir, LOCK_FILE), 'somebody wrote this file, it is no database')
  const error = await t.throwsAsync(lockDataDir(dataDir), { name: 'DataDirLockError' })
  t.regex(error!.message, /peer\.lock is not the lock file p2pc made \(it must be empty\): remove it/)
})

test('a second peer on a data dir is refused before it listens, even without the control API', async (t) => {
  const dataDir = await temporaryDir(t)
  const first = createPeer({ dataDir, ...offline, control: false })
  await first.start()
  t.teardown(() => first.stop())
  for (const control of [false, true]) {
    const second = createPeer({ dataDir, ...offline, control })
    await t.throwsAsync(second.start(), { name: 'PeerAlreadyRunningError' })
    t.throws(() => second.addresses(), { name: 'PeerNotStartedError' }, 'it is not online')
  }
  await first.stop()
  const third = createPeer({ dataDir, ...offline })
  await third.start()
  t.teardown(() => third.stop())
  t.is(third.peerId, first.peerId, 'the identity of the data dir goes online again once the first has left')
})

test('a damaged key stops the start before anything listens, and lets go of the data dir', async (t) => {
  const dataDir = await temporaryDir(t)
  await writeFile(join(dataDir, 'peer.key'), 'not a key')
  const peer = createPeer({ dataDir, ...offline })
  await t.throwsAsync(peer.start(), { name: 'InvalidKeyFileError' })
  await t.throwsAsync(stat(join(dataDir, CONTROL_SOCKET)), { code: 'ENOENT' }, 'no control socket listens')
  // Held still, the data dir would refuse this lock; a control socket left open would keep the process alive.
  const lock = await lockDataDir(dataDir)
  lock.release()
})
