import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { decode, encode } from '@p2pc/protocol'
import { MAX_FRAME_BYTES } from './constants.ts'

/** Length-prefixed DAG-CBOR frames on a stream, each at most `maxBytes`, each read or write under `signal`. */
export interface FrameStream {
  read(signal: AbortSignal): Promise<unknown>
  write(value: unknown, signal: AbortSignal): Promise<void>
}

/** Bytes of the longest varint length prefix, and then some. */
const PREFIX_BYTES = 16

/**
 * Frames on a stream. A frame whose length prefix says more than `maxBytes` is refused before a
 * byte of it is read. With `bufferOne`, bytes the other side sends ahead of what is read are kept
 * only up to one frame, and beyond that the stream is reset (libp2p keeps up to 4 MiB by default):
 * a server reading requests one at a time holds no more than one request of any peer.
 */
export function frameStream(stream: Stream, maxBytes = MAX_FRAME_BYTES, bufferOne = false): FrameStream {
  const lp = lpStream(stream, {
    maxDataLength: maxBytes,
    ...(bufferOne ? { maxBufferSize: maxBytes + PREFIX_BYTES } : {}),
  })
  return {
    read: async (signal) => decode((await lp.read({ signal })).subarray()),
    write: async (value, signal) => {
      await lp.write(encode(value), { signal })
    },
  }
}

/** A value's field, if the value is an object that has it: frames from the network are untrusted. */
export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined
}
