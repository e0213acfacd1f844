import type { TaskContext } from '@p2pc/sdk'
import { PROGRESS_EVERY, SEGMENT_ODDS } from './constants.ts'

/** The odd primes up to `limit`, by the sieve of Eratosthenes. */
export function oddPrimesUpTo(limit: number): Int32Array {
  const composite = new Uint8Array(limit + 1)
  const primes: number[] = []
  for (let p = 3; p <= limit; p += 2) {
    if (composite[p] === 1) continue
    primes.push(p)
    for (let m = p * p; m <= limit; m += 2 * p) composite[m] = 1
  }
  return Int32Array.from(primes)
}

/**
 * How many primes lie in [from, to), by a segmented sieve of the odd numbers: memory stays at
 * one segment plus the primes up to √to, whatever the range.
 */
export function countPrimes(
  from: number,
  to: number,
  ctx?: Pick<TaskContext, 'signal' | 'progress'>,
): number {
  let count = from <= 2 && to > 2 ? 1 : 0
  const low = Math.max(from, 3) + (Math.max(from, 3) % 2 === 0 ? 1 : 0) // the first odd candidate
  if (low >= to) return count
  const odds = Math.floor((to - 1 - low) / 2) + 1 // low, low + 2, …, the last odd below to
  const primes = oddPrimesUpTo(integerSqrt(to - 1))
  // For each prime already in use, the index in the current segment of its next odd multiple.
  const next = new Int32Array(primes.length)
  let active = 0
  const flags = new Uint8Array(SEGMENT_ODDS)
  const segments = Math.ceil(odds / SEGMENT_ODDS)

  for (let segment = 0; segment < segments; segment++) {
    const start = segment * SEGMENT_ODDS // in odd numbers from low
    const size = Math.min(SEGMENT_ODDS, odds - start)
    const first = low + 2 * start // the number at flags[0]
    const last = first + 2 * (size - 1)
    flags.fill(0, 0, size)
    // Start sieving with p at p², below which its multiples have smaller factors too.
    while (active < primes.length && primes[active]! * primes[active]! <= last) {
      const p = primes[active]!
      let multiple = Math.max(p * p, first + ((p - (first % p)) % p))
      if (multiple % 2 === 0) multiple += p
      next[active++] = (multiple - first) / 2
    }
    for (let k = 0; k < active; k++) {
      const p = primes[k]!
      let i = next[k]!
      for (; i < size; i += p) flags[i] = 1
      next[k] = i - size
    }
    for (let i = 0; i < size; i++) count += 1 - flags[i]!
    if (ctx === undefined) continue
    if (ctx.signal.aborted) throw ctx.signal.reason
    if ((segment + 1) % PROGRESS_EVERY === 0) ctx.progress((segment + 1) / segments)
  }
  return count
}

/** ⌊√n⌋ exactly, for 0 ≤ n ≤ 2⁵³. */
function integerSqrt(n: number): number {
  let root = Math.floor(Math.sqrt(n))
  while (root * root > n) root--
  while ((root + 1) * (root + 1) <= n) root++
  return root
}
