import test from 'ava'
import { CID } from 'multiformats/cid'
import { base58btc } from 'multiformats/bases/base58'
import * as Digest from 'multiformats/hashes/digest'
import { DAG_CBOR_CODEC, RAW_CODEC, cidOf, cidOfValue, encode, parseCid } from '@p2pc/protocol'

test('cidOf gives the well-known CID of empty bytes (raw codec, sha2-256)', (t) => {
  t.is(cidOf(new Uint8Array()).toString(), 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
})

test('cidOf uses the given codec', (t) => {
  const bytes = encode({ a: 1 })
  const cid = cidOf(bytes, DAG_CBOR_CODEC)
  t.is(cid.code, DAG_CBOR_CODEC)
  t.is(cid.version, 1)
  t.is(cid.multihash.code, 0x12)
  t.true(cid.toString().startsWith('bafyrei'))
  t.not(cid.toString(), cidOf(bytes, RAW_CODEC).toString())
})

test('cidOfValue is the dag-cbor CID of the canonical encoding', (t) => {
  t.is(cidOfValue({ b: 2, a: 1 }).toString(), cidOf(encode({ a: 1, b: 2 }), DAG_CBOR_CODEC).toString())
  t.not(cidOfValue({ a: 1 }).toString(), cidOfValue({ a: 2 }).toString())
})

test('parseCid round-trips a canonical CID string', (t) => {
  const cid = cidOf(new Uint8Array([1, 2, 3]))
  t.true(parseCid(cid.toString()).equals(cid))
  t.true(parseCid(cid.toString(), { codec: RAW_CODEC }).equals(cid))
})

const rawCid = cidOf(new Uint8Array([1, 2, 3]))

const garbage: Array<[string, unknown, RegExp]> = [
  ['an empty string', '', /Not a CID/],
  ['random text', 'hello world', /Not a CID/],
  ['a truncated CID', rawCid.toString().slice(0, 30), /Not a CID/],
  ['a CIDv0', 'QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR', /CIDv1/],
  ['a CIDv1 in base58btc', rawCid.toString(base58btc), /canonical base32/],
  ['an uppercase base32 CID', rawCid.toString().toUpperCase(), /canonical base32|Not a CID/],
  [
    'an identity-hash CID',
    CID.createV1(RAW_CODEC, Digest.create(0x00, new Uint8Array(4))).toString(),
    /sha2-256/,
  ],
  ['a number', 42, /must be a string/],
]

for (const [title, input, message] of garbage) {
  test(`parseCid rejects ${title} with InvalidCidError`, (t) => {
    t.throws(() => parseCid(input as string), { name: 'InvalidCidError', message })
  })
}

test('parseCid rejects a CID of the wrong codec', (t) => {
  t.throws(() => parseCid(rawCid.toString(), { codec: DAG_CBOR_CODEC }), {
    name: 'InvalidCidError',
    message: 'Expected a dag-cbor CID, got raw',
  })
})
