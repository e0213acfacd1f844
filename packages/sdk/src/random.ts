import { InvalidSeedError } from './errors.ts'

/** A seeded pseudo-random generator: the same seed gives the same sequence on every machine. */
export interface Random {
  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number
  /** An integer in [0, bound) for bound ≥ 1, or in [min, max) given two arguments. */
  int(bound: number): number
  int(min: number, max: number): number
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T
  /** The generator's state, JSON-serializable, for a checkpoint; `createRandom(state)` resumes from it. */
  state(): RandomState
}

/** The internal state of a {@link Random}: four unsigned 32-bit words. */
export interface RandomState {
  sfc32: [number, number, number, number]
}

/**
 * Creates a seeded generator (sfc32, seeded through cyrb128), or resumes one from its `state()`. It uses only 32-bit integer
 * arithmetic, so results do not depend on the platform: this is what lets two contributors
 * compute the same output for the same task input.
 *
 * @example
 * ```ts
 * const random = createRandom(`${input.seed}`)
 * const x = random.next()
 * ```
 */
export function createRandom(seed: number | string | RandomState): Random {
  const resumed = isRandomState(seed)
  if (!resumed && (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string')) {
    throw new InvalidSeedError()
  }
  let [a, b, c, d] = resumed ? seed.sfc32 : cyrb128(String(seed))
  const nextUint32 = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return t >>> 0
  }
  // Discard the first outputs of a fresh seed: sfc32 mixes poorly for a few rounds.
  if (!resumed) for (let i = 0; i < 12; i++) nextUint32()

  const next = (): number => nextUint32() / 4294967296
  function int(minOrBound: number, max?: number): number {
    const [low, high] = max === undefined ? [0, minOrBound] : [minOrBound, max]
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new RangeError(`random.int needs integers with min < max, got [${low}, ${high})`)
    }
    return low + Math.floor(next() * (high - low))
  }
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('random.pick needs a non-empty array')
      return items[int(items.length)] as T
    },
    state: () => ({ sfc32: [a >>> 0, b >>> 0, c >>> 0, d >>> 0] }),
  }
}

function isRandomState(seed: unknown): seed is RandomState {
  const words = (seed as RandomState | null)?.sfc32
  return (
    Array.isArray(words) &&
    words.length === 4 &&
    words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff)
  )
}

/** cyrb128: a fast string hash giving four 32-bit words, used only to seed sfc32. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}
