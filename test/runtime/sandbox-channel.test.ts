// The sandbox's channel on its own: authenticated frames, and every way hostile bytes break it.
import { randomBytes } from 'node:crypto'
import { PassThrough, Writable } from 'node:stream'
import test from 'ava'
import {
  CHANNEL_KEY_BYTES,
  FrameReader,
  FrameWriter,
  MAX_FRAME_BYTES,
} from '../../packages/runtime/src/sandbox-channel.ts'

/** The bytes a writer with `key` puts on the wire for `messages`. */
function framesOf(key: Buffer, messages: unknown[]): Buffer {
  const chunks: Buffer[] = []
  const wire = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk)
      done()
    },
  })
  const writer = new FrameWriter(wire, key)
  for (const message of messages) writer.send(message)
  return Buffer.concat(chunks)
}

/** A reader with `key` (or one that takes the key from the wire) and what it heard. */
function listener(key: Buffer | undefined) {
  const messages: unknown[] = []
  const broken: string[] = []
  const reader = new FrameReader(
    key,
    (message) => messages.push(message),
    (reason) => broken.push(reason),
  )
  return { reader, messages, broken }
}

const MESSAGES = [
  { type: 'run', task: 0, job: { kind: 'run', input: { from: 0, to: 10 } } },
  { type: 'done', task: 0, outcome: { ok: true, output: new Uint8Array([1, 2, 3]), runMs: 4 } },
  { type: 'log', task: 1, message: 'é'.repeat(1000) },
]

test('messages arrive whole and in order, however the bytes are cut', (t) => {
  const key = randomBytes(CHANNEL_KEY_BYTES)
  const wire = framesOf(key, MESSAGES)
  for (const size of [1, 7, 36, 1024, wire.length]) {
    const { reader, messages, broken } = listener(key)
    for (let at = 0; at < wire.length; at += size) reader.push(wire.subarray(at, at + size))
    t.deepEqual(messages, MESSAGES, `cut every ${size} bytes`)
    t.deepEqual(broken, [])
    t.is(reader.frames, MESSAGES.length)
    t.false(reader.pending)
  }
})

test("the sandbox's side takes the first bytes as the key", (t) => {
  const key = randomBytes(CHANNEL_KEY_BYTES)
  const { reader, messages, broken } = listener(undefined)
  reader.push(Buffer.concat([key, framesOf(key, MESSAGES)]))
  t.deepEqual(messages, MESSAGES)
  t.deepEqual(broken, [])
  t.deepEqual(reader.channelKey, key)
})

test('a frame made without the key breaks the channel, and nothing after it is read', (t) => {
  const key = randomBytes(CHANNEL_KEY_BYTES)
  const forged = framesOf(randomBytes(CHANNEL_KEY_BYTES), [
    { type: 'done', task: 0, outcome: { ok: true, output: 'forged', runMs: 0 } },
  ])
  const { reader, messages, broken } = listener(key)
  reader.push(Buffer.concat([forged, framesOf(key, MESSAGES)]))
  t.deepEqual(messages, [])
  t.deepEqual(broken, ['a frame that does not authenticate'])
  t.false(reader.pending)
})

test('one byte changed, a frame replayed or a frame dropped breaks the channel', (t) => {
  const key = randomBytes(CHANNEL_KEY_BYTES)
  const wire = framesOf(key, MESSAGES)
  const first = framesOf(key, MESSAGES.slice(0, 1))
  const cases: Array<[string, Buffer, number]> = [
    ['a changed byte in the last payload', Buffer.from(wire).fill(0x41, wire.length - 3, wire.length - 2), 2],
    ['the first frame replayed', Buffer.concat([first, first]), 1],
    ['the first frame dropped', wire.subarray(first.length), 0],
  ]
  for (const [what, bytes, heard] of cases) {
    const { reader, messages, broken } = listener(key)
    reader.push(bytes)
    t.is(messages.length, heard, what)
    t.deepEqual(broken, ['a frame that does not authenticate'], what)
  }
})

test('a length over the limit breaks the channel at once, without waiting for the bytes', (t) => {
  const { reader, broken } = listener(randomBytes(CHANNEL_KEY_BYTES))
  const header = Buffer.alloc(36)
  header.writeUInt32BE(MAX_FRAME_BYTES + 1)
  reader.push(header)
  t.deepEqual(broken, [`a frame of ${MAX_FRAME_BYTES + 1} bytes, more than the limit`])
})

test('garbage breaks the channel once; a frame begun and not finished is pending', (t) => {
  const key = randomBytes(CHANNEL_KEY_BYTES)
  const garbage = listener(key)
  garbage.reader.push(Buffer.from('\u0000\u0000\u0000\u0004'.padEnd(64, 'x')))
  garbage.reader.push(Buffer.from('more garbage'))
  t.deepEqual(garbage.broken, ['a frame that does not authenticate'])

  const partial = listener(key)
  const wire = framesOf(key, MESSAGES.slice(0, 1))
  partial.reader.push(wire.subarray(0, wire.length - 1))
  t.true(partial.reader.pending)
  t.deepEqual(partial.messages, [])
  partial.reader.push(wire.subarray(wire.length - 1))
  t.false(partial.reader.pending)
  t.is(partial.messages.length, 1)
})

test('a message too large for the channel is refused when it is sent', (t) => {
  const writer = new FrameWriter(new PassThrough(), randomBytes(CHANNEL_KEY_BYTES))
  const err = t.throws(() => writer.send(new Uint8Array(MAX_FRAME_BYTES + 1)))
  t.is(err?.name, 'RangeError')
  t.regex(err?.message ?? '', /more than the sandbox channel's/)
})
