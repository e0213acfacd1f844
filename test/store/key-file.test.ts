import { readdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import test from 'ava'
import { peerIdOf } from '@p2pc/protocol'
import { loadOrCreateKey } from '@p2pc/store'
import { temporaryDir } from '../helpers/paths.ts'

test('the key is created owner-only on first use and the same identity comes back', async (t) => {
  const path = join(await temporaryDir(t), 'peer.key')
  const first = await loadOrCreateKey(path)
  t.is((await stat(path)).mode & 0o777, 0o600)
  const again = await loadOrCreateKey(path)
  t.is(peerIdOf(again), peerIdOf(first))
  t.is(first.type, 'Ed25519')
})

test('a damaged key file is refused, not replaced', async (t) => {
  const path = join(await temporaryDir(t), 'peer.key')
  await writeFile(path, 'not a key')
  t.is((await t.throwsAsync(loadOrCreateKey(path)))?.name, 'InvalidKeyFileError')
  t.is((await stat(path)).size, 9)
})

test('keys created at once by many callers on a new data dir are one key', async (t) => {
  const path = join(await temporaryDir(t), 'peer.key')
  const keys = await Promise.all(Array.from({ length: 10 }, () => loadOrCreateKey(path)))
  t.deepEqual(new Set(keys.map(peerIdOf)), new Set([peerIdOf(await loadOrCreateKey(path))]))
  t.deepEqual(
    (await readdir(dirname(path))).filter((name) => name !== 'peer.key'),
    [],
    'no temporary file is left',
  )
})
