/**
 * The channel between the contributor's process and its sandbox process: frames on a socket pair
 * of their own (the sandbox's descriptor 3), authenticated with a key the parent sends first.
 *
 * Why not Node's IPC channel: workload code can read and write any descriptor of the sandbox
 * process (the permission model does not check descriptors), and Node's IPC parser trusts its
 * bytes: a few malformed ones made it throw in the contributor's process and crash it, a bogus
 * length prefix stalled it, and well-formed messages forged the outputs of other tasks. Here:
 *
 * - Every frame is `length (4 bytes) ‖ HMAC-SHA256(key, sequence ‖ payload) (32) ‖ payload`, the
 *   payload a structured clone (`v8.serialize`, what Node's 'advanced' IPC serialization does).
 *   The key is sent before the sandbox starts any worker thread and lives in its main thread
 *   only, so workload code cannot make a frame that passes; the sequence number, counted by each
 *   side, makes a replayed, dropped or reordered frame fail too. Nothing is deserialised before
 *   it is authenticated.
 * - A frame longer than {@link MAX_FRAME_BYTES} is refused before it is read.
 * - Whatever fails (a frame that does not authenticate, a length over the limit, a payload that
 *   does not deserialise) breaks the channel: the reader calls `onBroken` once and reads no more,
 *   and the parent then kills that sandbox. The contributor's process never throws on it.
 *
 * What workload code can still do is break its own sandbox (garbage, or bytes stolen from the
 * channel), which ends the sandbox's tasks like a crash would; a stall (a partial frame that is
 * never finished, a frame stolen before it is read) is ended by the parent's stall timer
 * (sandbox-process.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { deserialize, serialize } from 'node:v8'
import type { Writable } from 'node:stream'

/** Length of the channel's key, which the parent sends first. */
export const CHANNEL_KEY_BYTES = 32

/** The largest payload of one frame: a task's input, output or checkpoint must fit. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024

const HEADER_BYTES = 4 + 32

function mac(key: Buffer, sequence: number, payload: Buffer): Buffer {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(sequence))
  return createHmac('sha256', key).update(counter).update(payload).digest()
}

/** Writes authenticated frames on a socket. */
export class FrameWriter {
  private sequence = 0
  private readonly socket: Writable
  private readonly key: Buffer

  constructor(socket: Writable, key: Buffer) {
    this.socket = socket
    this.key = key
  }

  /**
   * Sends one message; `done` runs once it has been handed to the system.
   *
   * @throws DataCloneError when the message cannot be cloned, RangeError when it is too large
   */
  send(message: unknown, done?: () => void): void {
    const payload = serialize(message)
    if (payload.length > MAX_FRAME_BYTES) {
      throw new RangeError(
        `the message is ${payload.length} bytes, more than the sandbox channel's ${MAX_FRAME_BYTES}`,
      )
    }
    const header = Buffer.alloc(HEADER_BYTES)
    header.writeUInt32BE(payload.length, 0)
    mac(this.key, this.sequence++, payload).copy(header, 4)
    this.socket.write(Buffer.concat([header, payload]), () => done?.())
  }
}

/** Reads authenticated frames from the bytes of a socket, in order. */
export class FrameReader {
  private key: Buffer | undefined
  private readonly onMessage: (message: unknown) => void
  private readonly onBroken: (reason: string) => void
  private readonly chunks: Buffer[] = []
  private buffered = 0
  private sequence = 0
  private broken = false

  /**
   * @param key the channel's key; undefined on the sandbox's side, which takes the first
   *   {@link CHANNEL_KEY_BYTES} bytes it reads as the key
   */
  constructor(
    key: Buffer | undefined,
    onMessage: (message: unknown) => void,
    onBroken: (reason: string) => void,
  ) {
    this.key = key
    this.onMessage = onMessage
    this.onBroken = onBroken
  }

  /** Frames read so far. */
  frames = 0

  /** Whether bytes of a frame not yet complete are waiting. */
  get pending(): boolean {
    return this.buffered > 0 && !this.broken
  }

  /** The channel's key, once known. */
  get channelKey(): Buffer | undefined {
    return this.key
  }

  push(chunk: Buffer): void {
    if (this.broken) return
    this.chunks.push(chunk)
    this.buffered += chunk.length
    for (;;) {
      if (this.key === undefined) {
        if (this.buffered < CHANNEL_KEY_BYTES) return
        this.key = this.take(CHANNEL_KEY_BYTES)
        continue
      }
      if (this.buffered < HEADER_BYTES) return
      const length = this.peekLength()
      if (length > MAX_FRAME_BYTES) return this.break(`a frame of ${length} bytes, more than the limit`)
      if (this.buffered < HEADER_BYTES + length) return
      const header = this.take(HEADER_BYTES)
      const payload = this.take(length)
      const expected = mac(this.key, this.sequence++, payload)
      if (!timingSafeEqual(header.subarray(4), expected))
        return this.break('a frame that does not authenticate')
      let message: unknown
      try {
        message = deserialize(payload)
      } catch {
        return this.break('a frame that does not deserialise')
      }
      this.frames++
      this.onMessage(message)
      if (this.broken) return
    }
  }

  private break(reason: string): void {
    this.broken = true
    this.chunks.length = 0
    this.buffered = 0
    this.onBroken(reason)
  }

  private peekLength(): number {
    if (this.chunks[0]!.length < 4) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks))
    return this.chunks[0]!.readUInt32BE(0)
  }

  /** The next `bytes` bytes, which are all buffered. */
  private take(bytes: number): Buffer {
    if (this.chunks[0]!.length < bytes) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks))
    const first = this.chunks[0]!
    const taken = first.subarray(0, bytes)
    if (first.length === bytes) this.chunks.shift()
    else this.chunks[0] = first.subarray(bytes)
    this.buffered -= bytes
    return taken
  }
}
