import test from 'ava'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import {
  DAG_CBOR_CODEC,
  ENVELOPE_DOMAIN,
  MAX_ENVELOPE_BYTES,
  cidOf,
  decode,
  encode,
  openEnvelope,
  peerIdOf,
  sealEnvelope,
} from '@p2pc/protocol'
import type { EnvelopeFields, TaskBatch } from '@p2pc/protocol'
import { JOB_ID, claim, jobAnnounce, keyFromSeed, rawEnvelope, samples } from './fixtures.ts'

const key = await keyFromSeed(1)
const other = await keyFromSeed(2)
const signer = peerIdOf(key)

function fieldsOf(bytes: Uint8Array): EnvelopeFields {
  return decode(bytes) as EnvelopeFields
}

for (const [title, message] of samples(signer)) {
  test(`${title} survives seal and open`, async (t) => {
    const sealed = await sealEnvelope(message, key)
    t.deepEqual(sealed.message, message)
    t.is(sealed.signer, signer)
    t.is(sealed.id, cidOf(sealed.bytes, DAG_CBOR_CODEC).toString())

    const opened = await openEnvelope(sealed.bytes)
    t.deepEqual(opened.message, message)
    t.is(opened.signer, signer)
    t.is(opened.id, sealed.id)
    t.is(opened.bytes, sealed.bytes)
  })
}

test('an envelope is a DAG-CBOR map of payload, publicKey and signature', async (t) => {
  const sealed = await sealEnvelope(claim(), key)
  const fields = fieldsOf(sealed.bytes)
  t.deepEqual(Object.keys(fields).sort(), ['payload', 'publicKey', 'signature'])
  t.deepEqual(fields.payload, encode(claim()))
  t.deepEqual(fields.publicKey, publicKeyToProtobuf(key.publicKey))
  t.is(fields.signature.byteLength, 64)
})

test("signatures are libp2p's own: each side verifies the other's", async (t) => {
  const domain = new TextEncoder().encode(ENVELOPE_DOMAIN)
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  const signed = new Uint8Array([...domain, ...fields.payload])
  t.true(await key.publicKey.verify(signed, fields.signature), 'libp2p verifies what p2pc signs')

  // rawEnvelope signs with libp2p's own Ed25519.
  const signedByLibp2p = await rawEnvelope(fields.payload, other)
  t.is((await openEnvelope(signedByLibp2p)).signer, peerIdOf(other), 'p2pc verifies what libp2p signs')
})

test('sealing is deterministic: same key and message, same bytes and id', async (t) => {
  const a = await sealEnvelope(claim(), key)
  const b = await sealEnvelope({ ...claim() }, key)
  t.deepEqual(a.bytes, b.bytes)
  t.is(a.id, b.id)
  t.not((await sealEnvelope(claim(), other)).id, a.id)
})

test('a tampered payload byte is rejected with InvalidSignatureError', async (t) => {
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  const payload = new Uint8Array(fields.payload)
  // The last byte is part of leaseEnd: still a valid, canonical Claim, just not the one that was signed.
  payload[payload.length - 1] = payload[payload.length - 1]! ^ 0x01
  t.notThrows(() => decode(payload))
  await t.throwsAsync(openEnvelope(encode({ ...fields, payload })), { name: 'InvalidSignatureError' })
})

test('a tampered byte inside the sent envelope is rejected with InvalidSignatureError', async (t) => {
  const bytes = new Uint8Array((await sealEnvelope(claim(), key)).bytes)
  // Flip one byte of the jobId string: the structure stays intact, the payload changes.
  const at = Buffer.from(bytes).indexOf(Buffer.from(claim().jobId)) + 10
  bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61
  await t.throwsAsync(openEnvelope(bytes), { name: 'InvalidSignatureError' })
})

test('a tampered signature byte is rejected with InvalidSignatureError', async (t) => {
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  const signature = new Uint8Array(fields.signature)
  signature[7] = signature[7]! ^ 0x80
  await t.throwsAsync(openEnvelope(encode({ ...fields, signature })), { name: 'InvalidSignatureError' })
})

test('a truncated signature is rejected with InvalidSignatureError', async (t) => {
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  await t.throwsAsync(openEnvelope(encode({ ...fields, signature: fields.signature.subarray(0, 63) })), {
    name: 'InvalidSignatureError',
    message: /64 bytes/,
  })
})

test('a swapped signer public key is rejected with InvalidSignatureError', async (t) => {
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  const swapped = encode({ ...fields, publicKey: publicKeyToProtobuf(other.publicKey) })
  await t.throwsAsync(openEnvelope(swapped), { name: 'InvalidSignatureError' })
})

test('a signature made without the domain prefix is rejected with InvalidSignatureError', async (t) => {
  const bytes = await rawEnvelope(encode(claim()), key, { domain: false })
  await t.throwsAsync(openEnvelope(bytes), { name: 'InvalidSignatureError' })
  // The same payload signed with the prefix opens: the prefix is the only difference.
  t.is((await openEnvelope(await rawEnvelope(encode(claim()), key))).signer, signer)
})

test('a secp256k1 public key is rejected with InvalidPublicKeyError', async (t) => {
  const secp = await generateKeyPair('secp256k1')
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  const bytes = encode({ ...fields, publicKey: publicKeyToProtobuf(secp.publicKey) })
  await t.throwsAsync(openEnvelope(bytes), { name: 'InvalidPublicKeyError' })
})

test('a garbage public key is rejected with InvalidPublicKeyError', async (t) => {
  const fields = fieldsOf((await sealEnvelope(claim(), key)).bytes)
  await t.throwsAsync(openEnvelope(encode({ ...fields, publicKey: new Uint8Array(36) })), {
    name: 'InvalidPublicKeyError',
  })
})

test('oversized garbage is rejected with MessageTooLargeError before any decoding', async (t) => {
  const garbage = new Uint8Array(MAX_ENVELOPE_BYTES + 1).fill(0xff)
  await t.throwsAsync(openEnvelope(garbage), { name: 'MessageTooLargeError', message: /262145 bytes/ })
  // The same garbage at the limit gets as far as decoding, and fails there: the size is what decided above.
  await t.throwsAsync(openEnvelope(garbage.subarray(1)), { name: 'InvalidEnvelopeError' })
})

test('openEnvelope honours options.maxBytes', async (t) => {
  const { bytes } = await sealEnvelope(claim(), key)
  await t.throwsAsync(openEnvelope(bytes, { maxBytes: bytes.byteLength - 1 }), {
    name: 'MessageTooLargeError',
  })
  t.is((await openEnvelope(bytes, { maxBytes: bytes.byteLength })).signer, signer)
})

test('sealEnvelope refuses to produce an envelope over the limit', async (t) => {
  const big: TaskBatch = {
    type: 'TaskBatch',
    v: 1,
    jobId: JOB_ID,
    batch: 0,
    first: 0,
    inputs: [{ blob: 'x'.repeat(MAX_ENVELOPE_BYTES) }],
  }
  await t.throwsAsync(sealEnvelope(big, key), {
    name: 'MessageTooLargeError',
    message: /over the 262144 limit/,
  })
})

test('bad options are rejected with InvalidParametersError', async (t) => {
  await t.throwsAsync(openEnvelope(new Uint8Array(1), { maxBytes: 0 }), {
    name: 'InvalidParametersError',
    message: 'options.maxBytes must be a positive integer',
  })
  await t.throwsAsync(sealEnvelope(claim(), key, { maxBytes: 1.5 }), { name: 'InvalidParametersError' })
})

test('sealEnvelope refuses a non-Ed25519 key', async (t) => {
  const secp = await generateKeyPair('secp256k1')
  await t.throwsAsync(sealEnvelope(claim(), secp as never), { name: 'InvalidParametersError' })
})

const malformed: Array<[string, () => Promise<Uint8Array>, RegExp]> = [
  ['a non-map envelope', async () => encode([1, 2, 3]), /must be a map/],
  [
    'a missing signature',
    async () => {
      const { signature: _signature, ...rest } = fieldsOf((await sealEnvelope(claim(), key)).bytes)
      return encode(rest)
    },
    /signature must be bytes/,
  ],
  [
    'an extra field',
    async () => encode({ ...fieldsOf((await sealEnvelope(claim(), key)).bytes), from: 'me' }),
    /no field "from"/,
  ],
  [
    'a string payload',
    async () => encode({ ...fieldsOf((await sealEnvelope(claim(), key)).bytes), payload: 'hi' }),
    /payload must be bytes/,
  ],
  ['bytes that are not DAG-CBOR', async () => new Uint8Array([0x1c, 0x00]), /not canonical DAG-CBOR/],
]

for (const [title, build, message] of malformed) {
  test(`${title} is rejected with InvalidEnvelopeError`, async (t) => {
    await t.throwsAsync(openEnvelope(await build()), { name: 'InvalidEnvelopeError', message })
  })
}

test('a non-canonical envelope encoding is rejected with InvalidEnvelopeError', async (t) => {
  const { bytes } = await sealEnvelope(claim(), key)
  // Canonical order is payload, publicKey, signature (shorter keys first); move payload to the end.
  const fields = fieldsOf(bytes)
  const reordered = new Uint8Array([
    0xa3,
    ...encode('publicKey'),
    ...encode(fields.publicKey),
    ...encode('signature'),
    ...encode(fields.signature),
    ...encode('payload'),
    ...encode(fields.payload),
  ])
  t.deepEqual(decode(reordered), decode(bytes))
  await t.throwsAsync(openEnvelope(reordered), { name: 'InvalidEnvelopeError', message: /canonical/ })
})

test('a validly signed but invalid message is rejected with InvalidMessageError', async (t) => {
  const bytes = await rawEnvelope(encode({ ...claim(), tasks: [1, 1] }), key)
  await t.throwsAsync(openEnvelope(bytes), {
    name: 'InvalidMessageError',
    message: 'invalid Claim message: /tasks/1 repeats task index 1',
  })
})

test('a validly signed but non-canonical payload is rejected with InvalidMessageError', async (t) => {
  // {"v": 1, ...} with keys out of canonical order: "type" (4 chars) before "v" (1 char).
  const canonical = encode(claim())
  const entries = Object.entries(claim()).sort(([a], [b]) => b.length - a.length)
  const payload = new Uint8Array([0xa5, ...entries.flatMap(([k, v]) => [...encode(k), ...encode(v)])])
  t.deepEqual(decode(payload), decode(canonical))
  await t.throwsAsync(openEnvelope(await rawEnvelope(payload, key)), {
    name: 'InvalidMessageError',
    message: /not canonical/,
  })
})

test('a signed payload that is not DAG-CBOR is rejected with InvalidMessageError', async (t) => {
  await t.throwsAsync(openEnvelope(await rawEnvelope(new Uint8Array([0xff]), key)), {
    name: 'InvalidMessageError',
  })
})

test('a JobAnnounce is only valid from its publisher', async (t) => {
  const announce = jobAnnounce(peerIdOf(other))
  await t.throwsAsync(sealEnvelope(announce, key), {
    name: 'InvalidMessageError',
    message: /is not the signer/,
  })
  await t.throwsAsync(openEnvelope(await rawEnvelope(encode(announce), key)), {
    name: 'InvalidMessageError',
    message: /\/publisher \(12D3KooW\w+\) is not the signer/,
  })
  t.is((await openEnvelope((await sealEnvelope(announce, other)).bytes)).signer, peerIdOf(other))
})

test('sealEnvelope validates the message first', async (t) => {
  await t.throwsAsync(sealEnvelope({ ...claim(), leaseEnd: -1 }, key), {
    name: 'InvalidMessageError',
    message: /\/leaseEnd must be >= 0/,
  })
})

test('the sealed message is detached from the caller object', async (t) => {
  const message = claim()
  const sealed = await sealEnvelope(message, key)
  message.tasks.push(99)
  t.deepEqual(sealed.message.tasks, [4, 9, 1])
})
