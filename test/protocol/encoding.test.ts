import test from 'ava'
import { bytesEqual, decode, decodeCanonical, encode } from '@p2pc/protocol'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

test('encode gives the canonical DAG-CBOR bytes of a known value', (t) => {
  // {"a": 1, "b": [true, null]}: a map of 2, keys sorted, shortest integers.
  t.is(hex(encode({ b: [true, null], a: 1 })), 'a2616101616282f5f6')
})

test('encoding is byte-identical whatever the key order, at every depth', (t) => {
  const one = encode({ z: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' }, mm: null, b: 'long key order' })
  const two = encode({ b: 'long key order', mm: null, a: { x: 'x', y: [1, { p: 2, q: 1 }] }, z: 1 })
  t.is(hex(one), hex(two))
})

test('decode inverts encode', (t) => {
  const value = {
    text: 'héllo ✓',
    n: -42,
    f: 1.5,
    big: 2 ** 40,
    list: [1, [2, [3]]],
    flag: false,
    none: null,
  }
  t.deepEqual(decode(encode(value)), value)
})

const withBytes: Array<[string, unknown]> = [
  ['a long byte string', { a: new Uint8Array(300), b: 1 }],
  ['several byte strings', { a: new Uint8Array(100), b: new Uint8Array(100), c: 'x' }],
  ['Buffers', { a: Buffer.alloc(100), b: Buffer.from('abc'), c: new Uint8Array(70) }],
]

for (const [title, value] of withBytes) {
  test(`encode hands back a plain Uint8Array that owns its bytes, given ${title}`, (t) => {
    const bytes = encode(value)
    t.is(Object.getPrototypeOf(bytes), Uint8Array.prototype)
    t.is(bytes.byteOffset, 0)
    t.is(bytes.buffer.byteLength, bytes.byteLength)
    t.deepEqual(decode(bytes), decode(new Uint8Array(bytes)))
  })
}

test('encode rejects undefined with EncodingError', (t) => {
  t.throws(() => encode({ a: undefined }), { name: 'EncodingError', message: /undefined/ })
})

test('encode rejects NaN with EncodingError', (t) => {
  t.throws(() => encode({ a: Number.NaN }), { name: 'EncodingError' })
})

test('decode rejects truncated bytes with DecodingError', (t) => {
  const bytes = encode({ key: 'value' })
  t.throws(() => decode(bytes.subarray(0, bytes.length - 2)), { name: 'DecodingError' })
})

test('decode rejects trailing bytes with DecodingError', (t) => {
  t.throws(() => decode(new Uint8Array([...encode(1), 0x00])), { name: 'DecodingError' })
})

test('decode turns a stack-exhausting nesting into DecodingError', (t) => {
  // 200k nested one-element arrays: the recursive decoder overflows the stack.
  const bytes = new Uint8Array(200_001).fill(0x81)
  bytes[200_000] = 0x00
  t.throws(() => decode(bytes), { name: 'DecodingError' })
})

test('decodeCanonical accepts canonical bytes', (t) => {
  t.deepEqual(decodeCanonical(encode({ b: 2, a: 1 })), { a: 1, b: 2 })
})

test('decodeCanonical rejects a map whose keys are out of order', (t) => {
  // {"b": 2, "a": 1}: valid DAG-CBOR for a lenient decoder, but not canonical.
  const swapped = new Uint8Array([0xa2, 0x61, 0x62, 0x02, 0x61, 0x61, 0x01])
  t.deepEqual(decode(swapped), { a: 1, b: 2 })
  t.throws(() => decodeCanonical(swapped), { name: 'DecodingError', message: /canonical/ })
})

test('decodeCanonical rejects CBOR undefined, which decodes as null', (t) => {
  t.throws(() => decodeCanonical(new Uint8Array([0xa1, 0x61, 0x61, 0xf7])), { name: 'DecodingError' })
})

test('bytesEqual compares contents and lengths', (t) => {
  t.true(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])))
  t.false(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])))
  t.false(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])))
})
