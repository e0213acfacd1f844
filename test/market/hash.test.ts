import test from 'ava'
import { fnv1a32, rendezvousRank, rendezvousSeed } from '@p2pc/market'

test('fnv1a32 matches the published FNV-1a test vectors', (t) => {
  t.is(fnv1a32(''), 0x811c9dc5)
  t.is(fnv1a32('a'), 0xe40c292c)
  t.is(fnv1a32('foobar'), 0xbf9cf968)
})

test('ranks are unsigned 32-bit, deterministic, and distinct for distinct tasks of one seed', (t) => {
  const seed = rendezvousSeed('peer-a', 'job-1')
  t.is(seed, rendezvousSeed('peer-a', 'job-1'))
  const ranks = new Set<number>()
  for (let task = 0; task < 10_000; task++) {
    const rank = rendezvousRank(seed, task)
    t.true(Number.isInteger(rank) && rank >= 0 && rank < 2 ** 32)
    ranks.add(rank)
  }
  t.is(ranks.size, 10_000)
  t.is(rendezvousRank(seed, 4_294_967_295), rendezvousRank(seed, 4_294_967_295))
})

test('peers and jobs get unrelated orders', (t) => {
  const first = (seed: number) => {
    let best = 0
    for (let task = 1; task < 1000; task++)
      if (rendezvousRank(seed, task) < rendezvousRank(seed, best)) best = task
    return best
  }
  const firsts = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((p) => first(rendezvousSeed(p, 'job'))))
  t.is(firsts.size, 6)
  t.not(rendezvousSeed('a', 'job-1'), rendezvousSeed('a', 'job-2'))
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  t.not(rendezvousSeed('ab', 'c'), rendezvousSeed('a', 'bc'))
})
