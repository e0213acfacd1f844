import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { DAG_CBOR_CODEC, cidOf, encode } from '@p2pc/protocol'
import { folderBlobStore } from '@p2pc/store'
import { temporaryDir } from '../helpers/paths.ts'

test('a blob is stored under its CID and read back checked', async (t) => {
  const folder = join(await temporaryDir(t), 'blobs')
  const blobs = folderBlobStore(folder)
  const bytes = new TextEncoder().encode('export default {}')
  const cid = await blobs.put(bytes)
  t.is(cid, cidOf(bytes).toString())
  t.is(await blobs.put(bytes), cid, 'storing twice is harmless')
  t.deepEqual(await blobs.get(cid), new Uint8Array(bytes))
  t.true(await blobs.has(cid))
  t.deepEqual(await readdir(folder), [cid], 'no temporary file is left behind')
})

test('the codec is kept in the CID', async (t) => {
  const blobs = folderBlobStore(await temporaryDir(t))
  const bytes = encode([1, 2, 3])
  const cid = await blobs.put(bytes, DAG_CBOR_CODEC)
  t.is(cid, cidOf(bytes, DAG_CBOR_CODEC).toString())
  t.deepEqual(await blobs.get(cid), new Uint8Array(bytes))
})

test('a missing blob is undefined, a damaged one is refused', async (t) => {
  const blobs = folderBlobStore(await temporaryDir(t))
  const cid = await blobs.put(new Uint8Array([1, 2, 3]))
  t.is(await blobs.get(cidOf(new Uint8Array([9])).toString()), undefined)
  await writeFile(blobs.path(cid), new Uint8Array([1, 2, 4]))
  t.is((await t.throwsAsync(blobs.get(cid)))?.name, 'CorruptBlobError')
})

test('a name that is not a CID never reaches the file system', async (t) => {
  const blobs = folderBlobStore(await temporaryDir(t))
  t.is((await t.throwsAsync(blobs.get('../../etc/passwd')))?.name, 'InvalidCidError')
})
