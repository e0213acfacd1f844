// Seeded randomness, two ways. `Random` is a sequential generator (sfc32) for drawing the world at
// setup: who cheats, peer speeds, churn times. `hash32`/`unitOf` are pure functions for draws that must
// not depend on the order of events: a message's latency to one peer, whether that peer loses it, a
// task's cost. Both use 32-bit integer arithmetic only, so a seed gives the same run on every machine.

import { fmix32, fnv1a32 } from '@p2pc/market'

const TWO_POW_32 = 4294967296

// The market's own 32-bit hashes: one definition of each for the whole project.
export { fmix32, fnv1a32 as hashString }

/** A 32-bit hash of a seed and up to three integers (each taken modulo 2^32). */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  let h = fmix32(seed ^ Math.imul(a | 0, 0x9e3779b1))
  h = fmix32(h ^ Math.imul(b | 0, 0x85ebca6b) ^ 0x5bd1e995)
  return fmix32(h ^ Math.imul(c | 0, 0xc2b2ae35) ^ 0x27d4eb2f)
}

/** A 32-bit hash as a float in [0, 1). */
export function unitOf(hash: number): number {
  return hash / TWO_POW_32
}

/** Two 32-bit hashes as 16 hex digits: the stand-in for an output and its hash. */
export function hex64(high: number, low: number): string {
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0')
}

/**
 * A standard normal deviate from two uniforms in [0, 1) (Box–Muller). The first is
 * mapped into (0, 1] so that the logarithm stays finite.
 */
export function normalOf(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2)
}

/**
 * A log-normal draw with the given mean and shape σ: `mean · exp(σ·z − σ²/2)`, whose
 * mean is `mean` whatever σ.
 */
export function logNormalOf(mean: number, sigma: number, u1: number, u2: number): number {
  return mean * Math.exp(sigma * normalOf(u1, u2) - (sigma * sigma) / 2)
}

/** A sequential seeded generator. */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = hash32(seed, 1)
    this.b = hash32(seed, 2)
    this.c = hash32(seed, 3)
    this.d = hash32(seed, 4)
    // sfc32 mixes poorly for its first rounds.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** An unsigned 32-bit integer (sfc32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.next() * bound)
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const item = items[i]!
      items[i] = items[j]!
      items[j] = item
    }
    return items
  }
}
