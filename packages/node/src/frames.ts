import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { decode, encode } from '@p2pc/protocol'
import { MAX_FRAME_BYTES } from './constants.ts'

/** Length-prefixed DAG-CBOR frames on a stream, each at most `maxBytes`, each read or write under `signal`. */
export interface FrameStream {
  read(signal: AbortSignal): Promise<unknown>
  write(value: unknown, signal: AbortSignal): Promise<void>
}

export function frameStream(stream: Stream, maxBytes = MAX_FRAME_BYTES): FrameStream {
  const lp = lpStream(stream, { maxDataLength: maxBytes })
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
