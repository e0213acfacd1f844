import { readFile } from 'node:fs/promises'
import { Flags } from '@oclif/core'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { UsageError } from '../errors.ts'
import { checkPeerId } from './trust-file.ts'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Parses `500ms`, `30s`, `5m`, `1h` or `1.5s` into milliseconds.
 *
 * @throws UsageError with a sentence naming the bad value
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim())
  if (match === null) {
    throw new UsageError(`"${text}" is not a duration: write it like 500ms, 30s, 5m or 1h`)
  }
  return Math.round(Number(match[1]) * (UNITS[match[2] as string] as number))
}

/** A duration flag, parsed to milliseconds. */
export const duration = Flags.custom<number>({
  parse: async (input) => parseDuration(input),
  helpValue: 'DURATION',
})

/** A peer id flag, checked as `trust add` checks its argument. */
export const peerIdFlag = Flags.custom<string>({
  parse: async (input, _context, options) => {
    try {
      return checkPeerId(input)
    } catch (err) {
      throw new UsageError(`--${options.name}: ${(err as Error).message}`)
    }
  },
  helpValue: 'PEERID',
})

/** A positive integer flag with a clear message, since oclif's own says little about the range. */
export const positiveInteger = Flags.custom<number>({
  parse: async (input, _context, options) => {
    const value = Number(input)
    if (!/^\d+$/.test(input.trim()) || !Number.isSafeInteger(value) || value < 1) {
      throw new UsageError(`--${options.name} must be a positive integer, not "${input}"`)
    }
    return value
  },
  helpValue: 'N',
})

/**
 * Parses a percentage from 1 to 100, such as `50` or `12.5`.
 *
 * @throws UsageError naming the flag and the bad value
 */
export function parsePercentage(text: string, flag: string): number {
  const value = Number(text)
  if (!/^\d+(?:\.\d+)?$/.test(text.trim()) || value < 1 || value > 100) {
    throw new UsageError(`--${flag} must be a percentage from 1 to 100, not "${text}"`)
  }
  return value
}

/** A percentage flag, 1 to 100. */
export const percentage = Flags.custom<number>({
  parse: async (input, _context, options) => parsePercentage(input, options.name),
  helpValue: 'PERCENT',
})

/**
 * Parses a fraction from 0 to 1, such as `0.25`.
 *
 * @throws UsageError naming the flag and the bad value
 */
export function parseFraction(text: string, flag: string): number {
  const value = Number(text)
  if (!/^\d*\.?\d+$/.test(text.trim()) || value > 1) {
    throw new UsageError(`--${flag} must be a fraction from 0 to 1, such as 0.25, not "${text}"`)
  }
  return value
}

/** A fraction flag, 0 to 1. */
export const fraction = Flags.custom<number>({
  parse: async (input, _context, options) => parseFraction(input, options.name),
  helpValue: 'X',
})

/**
 * Parses a rate above 0 and below 1, written as a fraction (`0.001`, `1e-3`) or a percentage (`0.1%`).
 *
 * @throws UsageError naming the flag and the bad value
 */
export function parseRate(text: string, flag: string): number {
  const written = text.trim()
  const percent = written.endsWith('%')
  const number = percent ? written.slice(0, -1) : written
  const value = Number(number) / (percent ? 100 : 1)
  if (!/^(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(number) || !(value > 0 && value < 1)) {
    throw new UsageError(`--${flag} must be a rate above 0 and below 1, such as 0.001 or 0.1%, not "${text}"`)
  }
  return value
}

/** A rate flag, above 0 and below 1. */
export const rate = Flags.custom<number>({
  parse: async (input, _context, options) => parseRate(input, options.name),
  helpValue: 'RATE',
})

/**
 * A JSON value given inline or, as `@file`, read from a file.
 *
 * @throws UsageError naming the file or the JSON syntax error
 */
export async function parseJsonArgument(text: string, flag: string): Promise<unknown> {
  let source = text
  let origin = `--${flag}`
  if (text.startsWith('@')) {
    origin = text.slice(1)
    try {
      source = await readFile(origin, 'utf8')
    } catch (err) {
      throw new UsageError(
        `cannot read --${flag} file ${origin}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      )
    }
  }
  try {
    return JSON.parse(source)
  } catch (err) {
    throw new UsageError(`${origin} is not valid JSON: ${(err as Error).message}`, { cause: err })
  }
}

/** `--params JSON|@file`. */
export const jsonValue = Flags.custom<unknown>({
  parse: async (input, _context, options) => parseJsonArgument(input, options.name),
  helpValue: 'JSON|@FILE',
})

/**
 * Reads a multiaddr.
 *
 * @throws UsageError naming the value and what the parser disliked
 */
export function checkMultiaddr(text: string): Multiaddr {
  try {
    return multiaddr(text)
  } catch (err) {
    throw new UsageError(`"${text}" is not a multiaddr (${(err as Error).message})`, { cause: err })
  }
}

/**
 * Reads the multiaddr of a peer to join the swarm through: an address that ends with
 * /p2p/<peer id>. Without the id libp2p cannot tell that the peer it reached is the one meant,
 * and its bootstrap module drops the address with nothing but a log line; the multiaddr parser
 * takes any text as an id, so the id is checked here.
 *
 * @returns the multiaddr in canonical form
 * @throws UsageError naming the value and what is wrong with it
 */
export function checkPeerMultiaddr(text: string): string {
  const components = checkMultiaddr(text).getComponents()
  const last = components.at(-1)
  if (last?.name !== 'p2p' || last.value === undefined) {
    throw new UsageError(`"${text}" names no peer: end it with /p2p/<peer id>`)
  }
  if (components.length === 1) throw new UsageError(`"${text}" names a peer but no address to dial it at`)
  try {
    checkPeerId(last.value)
  } catch {
    throw new UsageError(`"${text}" ends with /p2p/${last.value}, which is not a peer id`)
  }
  return multiaddr(text).toString()
}

/**
 * Checks that a flag's value is a multiaddr (of a peer, with `peer`), so that a typo is
 * reported before any peer starts.
 *
 * @throws UsageError naming the flag, the value and what is wrong with it
 */
export function parseMultiaddr(text: string, flag: string, options: { peer?: boolean } = {}): string {
  try {
    if (options.peer === true) checkPeerMultiaddr(text)
    else checkMultiaddr(text)
    return text
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message}`, { cause: err })
  }
}

/** A multiaddr flag, e.g. `/ip4/0.0.0.0/tcp/4001`. */
export const multiaddrValue = Flags.custom<string>({
  parse: async (input, _context, options) => parseMultiaddr(input, options.name),
  helpValue: 'MULTIADDR',
})

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }

/**
 * Parses a size such as `0`, `512KiB`, `64MiB` or `1GiB` into bytes.
 *
 * @throws UsageError naming the flag and the bad value
 */
export function parseByteSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kib|mib|gib)?$/i.exec(text.trim())
  const bytes =
    match === null ? NaN : Math.round(Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]!)
  if (!Number.isSafeInteger(bytes)) {
    throw new UsageError(`--${flag} must be a size such as 512KiB, 64MiB or 1GiB, not "${text}"`)
  }
  return bytes
}

/** A size flag, in bytes. */
export const byteSize = Flags.custom<number>({
  parse: async (input, _context, options) => parseByteSize(input, options.name),
  helpValue: 'SIZE',
})

/**
 * Checks a STUN server's URL, `stun:HOST` or `stun:HOST:PORT` (RFC 7064), before WebRTC is given it.
 *
 * @throws UsageError naming the flag and the bad value
 */
export function parseStunUrl(text: string, flag: string): string {
  const match = /^stuns?:(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(text.trim())
  const port = match?.[2] === undefined ? 3478 : Number(match[2])
  if (match === null || port < 1 || port > 65535) {
    throw new UsageError(`--${flag} must be a STUN server such as stun:stun.example.org:3478, not "${text}"`)
  }
  return text.trim()
}

/** A STUN server flag. */
export const stunUrl = Flags.custom<string>({
  parse: async (input, _context, options) => parseStunUrl(input, options.name),
  helpValue: 'URL',
})

/** A flag naming a peer by multiaddr, e.g. `/ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…`. */
export const peerMultiaddrValue = Flags.custom<string>({
  parse: async (input, _context, options) => parseMultiaddr(input, options.name, { peer: true }),
  helpValue: 'MULTIADDR',
})
