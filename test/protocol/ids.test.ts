import test from 'ava'
import {
  DAG_CBOR_CODEC,
  cidOf,
  decode,
  encode,
  jobIdOf,
  outputHashOf,
  parseCid,
  peerIdOf,
  sealEnvelope,
} from '@p2pc/protocol'
import type { EnvelopeFields, JobAnnounce } from '@p2pc/protocol'
import { BUNDLE_CID, jobAnnounce, keyFromSeed, publisherId } from './fixtures.ts'

const publisher = await publisherId()

test('jobIdOf is the dag-cbor CID string of the encoded announce', (t) => {
  const announce = jobAnnounce(publisher)
  const id = jobIdOf(announce)
  t.is(id, cidOf(encode(announce), DAG_CBOR_CODEC).toString())
  t.is(parseCid(id, { codec: DAG_CBOR_CODEC }).toString(), id)
})

test('jobIdOf is stable: same announce, any key order, any call', (t) => {
  const announce = jobAnnounce(publisher)
  const reversed = Object.fromEntries(Object.entries(announce).reverse()) as unknown as JobAnnounce
  t.is(jobIdOf(announce), jobIdOf(jobAnnounce(publisher)))
  t.is(jobIdOf(reversed), jobIdOf(announce))
})

test('jobIdOf equals the CID of the payload peers receive', async (t) => {
  const key = await keyFromSeed(1)
  const announce = jobAnnounce(publisher)
  const { bytes } = await sealEnvelope(announce, key)
  const { payload } = decode(bytes) as EnvelopeFields
  t.is(cidOf(payload, DAG_CBOR_CODEC).toString(), jobIdOf(announce))
})

test('jobIdOf changes when any field changes', async (t) => {
  const other = peerIdOf(await keyFromSeed(2))
  const base = jobAnnounce(publisher)
  const variants: Array<Partial<JobAnnounce>> = [
    { publisher: other },
    { workload: { ...base.workload, cid: cidOf(new Uint8Array([1])).toString() } },
    { workload: { ...base.workload, name: 'primes2' } },
    { workload: { ...base.workload, version: '1.0.1' } },
    { workload: { cid: BUNDLE_CID, name: 'primes', version: '1.0.0' } }, // same as base: must give the same id
    { params: { from: 0, to: 1_000_001, label: 'first million' } },
    { quorum: 3 },
    { maxReplicas: 6 },
    { maxErrors: 4 },
    { leaseMs: 600_001 },
    { taskCount: 1001 },
    { batchCount: 11 },
    { publishedAt: 1_700_000_000_001 },
    { nonce: '0123456789abcdee' },
  ]
  const baseId = jobIdOf(base)
  const ids = variants.map((change) => jobIdOf({ ...base, ...change }))
  t.is(ids[4], baseId)
  const changed = ids.filter((_, i) => i !== 4)
  for (const id of changed) t.not(id, baseId)
  t.is(new Set(changed).size, changed.length)
  // Every field of the announce is covered above, apart from the constant type and v.
  const covered = new Set(variants.flatMap((change) => Object.keys(change)))
  t.deepEqual(
    Object.keys(base).filter((k) => !covered.has(k)),
    ['type', 'v'],
  )
})

test('outputHashOf is the dag-cbor CID of the canonical output', (t) => {
  t.is(outputHashOf({ b: [1], a: 'x' }), cidOf(encode({ a: 'x', b: [1] }), DAG_CBOR_CODEC).toString())
  t.not(outputHashOf(1), outputHashOf(1.5))
  t.not(outputHashOf(null), outputHashOf(false))
})
