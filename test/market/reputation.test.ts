// Reputation through the market: valid and invalid counts, the blocklist, and credit.
import test from 'ava'
import { BLOCK_MIN_INVALID, createMarket, defaultBlockRule } from '@p2pc/market'
import type { ClaimAction, Market } from '@p2pc/market'
import type { Json } from '@p2pc/protocol'
import { PUBLISHER, peer, plain, plainJob, result } from './fixtures.ts'

const SELF = peer(1)
const CHEAT = peer(9)

/** A market fed with a job of `taskCount` tasks; `vote` adds a result. */
function setup(
  taskCount: number,
  init: { maxActiveClaims?: number; blockRule?: (c: { valid: number; invalid: number }) => boolean } = {},
) {
  const { jobId, job, inputs } = plainJob({ taskCount, quorum: 2, maxReplicas: 4, maxErrors: 3 })
  const market: Market = createMarket({
    self: SELF,
    trust: new Set([PUBLISHER]),
    maxActiveClaims: 0,
    ...init,
  })
  market.receive(job, 0)
  market.receive(inputs, 0)
  const vote = (signer: string, task: number, output: Json, durationMs = 100) =>
    market.receive(plain(signer, result(jobId, task, output, durationMs)), 0)
  return { market, jobId, vote }
}

test('the default rule: at least two invalid results and more invalid than valid', (t) => {
  t.is(BLOCK_MIN_INVALID, 2)
  t.false(defaultBlockRule({ valid: 0, invalid: 1 }))
  t.true(defaultBlockRule({ valid: 0, invalid: 2 }))
  t.true(defaultBlockRule({ valid: 2, invalid: 3 }))
  t.false(defaultBlockRule({ valid: 3, invalid: 3 }))
})

test('a signer outvoted twice is blocked; an honest one is not', (t) => {
  const { market, vote } = setup(3)
  for (const task of [0, 1]) {
    vote(peer(2), task, 'right')
    vote(peer(3), task, 'right')
    vote(CHEAT, task, 'wrong')
  }
  t.deepEqual(market.signer(CHEAT), { peerId: CHEAT, valid: 0, invalid: 2, creditMs: 0, blocked: true })
  t.like(market.signer(peer(2)), { valid: 2, invalid: 0, blocked: false })
  t.deepEqual(
    market.signers().map((s) => s.peerId),
    [peer(2), peer(3), CHEAT].sort(),
  )
})

test('one unlucky disagreement does not block, and pending tasks count for nobody', (t) => {
  const { market, vote } = setup(3)
  vote(peer(2), 0, 'right')
  vote(peer(3), 0, 'right')
  vote(peer(4), 0, 'odd')
  vote(peer(4), 1, 'alone')
  t.like(market.signer(peer(4)), { valid: 0, invalid: 1, blocked: false })
})

test('a failed task counts for nobody', (t) => {
  const { market, vote } = setup(2)
  // Agreeing on task 1 gives them standing, so that their disagreement can fail task 0.
  for (let n = 2; n < 6; n++) vote(peer(n), 1, 'same')
  const before = market.signers()
  for (let n = 2; n < 6; n++) vote(peer(n), 0, `answer-${n}`)
  t.is(market.task(market.jobIds()[0]!, 0, 0)!.status, 'failed')
  t.deepEqual(market.signers(), before)
})

test('a custom block rule is used', (t) => {
  const { market, vote } = setup(2, { blockRule: (c) => c.invalid >= 1 })
  vote(peer(2), 0, 'right')
  vote(peer(3), 0, 'right')
  vote(CHEAT, 0, 'wrong')
  t.true(market.signer(CHEAT).blocked)
})

test("a blocked peer's claims do not hold tasks, so it cannot starve them", (t) => {
  const { market, vote, jobId } = setup(4, { maxActiveClaims: 4 })
  for (const task of [0, 1]) {
    vote(peer(2), task, 'right')
    vote(peer(3), task, 'right')
    vote(CHEAT, task, 'wrong')
  }
  t.true(market.signer(CHEAT).blocked)
  market.receive(plain(CHEAT, { type: 'Claim', v: 1, jobId, tasks: [2, 3], leaseEnd: 60_000 }), 0)
  market.receive(plain(peer(4), { type: 'Claim', v: 1, jobId, tasks: [2], leaseEnd: 60_000 }), 0)
  t.is(market.task(jobId, 2, 1)!.liveClaims, 1)
  t.is(market.task(jobId, 3, 1)!.liveClaims, 0)
  t.is(market.task(jobId, 3, 1)!.needed, 2)
  market.tick(1)
  const claimed = market
    .takeActions()
    .filter((a): a is ClaimAction => a.type === 'claim')
    .flatMap((a) => a.tasks)
  t.deepEqual(claimed.sort(), [2, 3])
})

test('claims of a peer blocked later stop holding the tasks this peer passed over', (t) => {
  const { market, vote, jobId } = setup(3, { maxActiveClaims: 1 })
  // The cheat claims task 2 twice over (two replicas needed, so a second claimer fills it).
  market.receive(plain(CHEAT, { type: 'Claim', v: 1, jobId, tasks: [2], leaseEnd: 60_000 }), 0)
  market.receive(plain(peer(5), { type: 'Claim', v: 1, jobId, tasks: [2], leaseEnd: 60_000 }), 0)
  for (const task of [0, 1]) {
    vote(peer(2), task, 'right')
    vote(peer(3), task, 'right')
  }
  market.tick(1)
  t.deepEqual(
    market.takeActions().filter((a) => a.type === 'claim'),
    [],
  )
  vote(CHEAT, 0, 'wrong')
  vote(CHEAT, 1, 'wrong')
  t.true(market.signer(CHEAT).blocked)
  market.tick(2)
  t.deepEqual(
    market
      .takeActions()
      .filter((a): a is ClaimAction => a.type === 'claim')
      .flatMap((a) => a.tasks),
    [2],
  )
})

test('credit goes to validated results only, at the lower median of the winning durations', (t) => {
  const { market, vote } = setup(2)
  vote(peer(2), 0, 'right', 100)
  vote(peer(3), 0, 'right', 1_000_000)
  vote(CHEAT, 0, 'wrong', 5_000_000)
  t.is(market.signer(peer(2)).creditMs, 100)
  t.is(market.signer(peer(3)).creditMs, 100)
  t.is(market.signer(CHEAT).creditMs, 0)
  // A third agreeing result moves the median for everyone in the class.
  vote(peer(4), 0, 'right', 300)
  t.is(market.signer(peer(3)).creditMs, 300)
  // Pending work earns nothing yet.
  vote(peer(2), 1, 'right', 100)
  t.is(market.signer(peer(2)).creditMs, 300)
})

test("a job's signers are counted and credited for that job alone", (t) => {
  const market = createMarket({ self: SELF, maxActiveClaims: 0 })
  const jobs = [1, 2].map((n) => plainJob({ taskCount: 2, quorum: 2, nonce: `${n}`.repeat(8) }))
  for (const { job, inputs } of jobs) {
    market.receive(job, 0)
    market.receive(inputs, 0)
  }
  const [a, b] = jobs.map((j) => j.jobId) as [string, string]
  for (const signer of [peer(2), peer(3)]) market.receive(plain(signer, result(a, 0, 'x', 100)), 0)
  for (const task of [0, 1]) {
    for (const signer of [peer(3), peer(4)]) market.receive(plain(signer, result(b, task, 'y', 300)), 0)
  }
  t.deepEqual(
    market.signers(a).map((s) => [s.peerId, s.valid, s.creditMs]),
    [
      [peer(2), 1, 100],
      [peer(3), 1, 100],
    ],
  )
  t.deepEqual(
    market.signers(b).map((s) => [s.peerId, s.valid, s.creditMs]),
    [
      [peer(3), 2, 600],
      [peer(4), 2, 600],
    ],
  )
  t.like(market.signer(peer(3)), { valid: 3, creditMs: 700 })
  t.deepEqual(market.signers('no such job'), [])
})
