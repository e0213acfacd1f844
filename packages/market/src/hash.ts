// Small, pure 32-bit hashes for claim order. Not cryptographic: they only spread peers over the task
// space, and a peer that games its own order gains nothing but a different walk.

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193
const GOLDEN = 0x9e3779b1

/** FNV-1a over the string's UTF-16 code units (peer ids and CIDs are ASCII), as an unsigned 32-bit integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, FNV_PRIME)
  }
  return hash >>> 0
}

/** murmur3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(value: number): number {
  let h = value
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * The seed of a peer's walk through one job: hash it once per job, then rank
 * each task with {@link rendezvousRank}.
 */
export function rendezvousSeed(peer: string, jobId: string): number {
  return fmix32(fnv1a32(`${peer}\n${jobId}`))
}

/**
 * The rendezvous rank of a task for the peer and job whose seed is given: peers
 * walk a job's tasks in increasing rank, so each starts somewhere else. For one
 * seed, distinct task indexes (below 2^32) get distinct ranks.
 *
 * @example
 * ```ts
 * const seed = rendezvousSeed(peerId, jobId)
 * const first = [0, 1, 2, 3].sort((a, b) => rendezvousRank(seed, a) - rendezvousRank(seed, b))[0]
 * ```
 */
export function rendezvousRank(seed: number, task: number): number {
  return fmix32(seed ^ Math.imul(task >>> 0, GOLDEN))
}
