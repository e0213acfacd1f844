// Claims are free to sign, so what a claim holds must be earned: these tests jam one market
// with fresh keys and with an established signer that stops answering.
import test from 'ava'
import {
  NEWCOMER_CLAIM_TASKS,
  NEWCOMER_LEASE_MS,
  UNANSWERED_CLAIM_ALLOWANCE,
  createMarket,
} from '@p2pc/market'
import type { Market } from '@p2pc/market'
import type { Claim } from '@p2pc/protocol'
import { establish, peer, plain, plainJob, result } from './fixtures.ts'

const LEASE_MS = 10 * 60_000

function reader(): Market {
  return createMarket({ self: peer(0), maxActiveClaims: 0 })
}

function claim(jobId: string, tasks: number[], leaseEnd: number): Claim {
  return { type: 'Claim', v: 1, jobId, tasks, leaseEnd }
}

function openJob(market: Market, taskCount = 20, quorum = 2) {
  const job = plainJob({ taskCount, quorum, maxReplicas: quorum + 2, leaseMs: LEASE_MS })
  market.receive(job.job, 0)
  market.receive(job.inputs, 0)
  return job.jobId
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i)

function liveClaims(market: Market, jobId: string, taskCount: number, now: number): number[] {
  return all(taskCount).map((task) => market.task(jobId, task, now)!.liveClaims)
}

test('a fresh key holds only a few tasks of a job, and only briefly', (t) => {
  const market = reader()
  const jobId = openJob(market)
  market.receive(plain(peer(1), claim(jobId, all(20), LEASE_MS)), 0)
  const held = liveClaims(market, jobId, 20, 1)
  t.is(
    held.reduce((a, b) => a + b),
    NEWCOMER_CLAIM_TASKS,
  )
  t.true(NEWCOMER_LEASE_MS < LEASE_MS)
  t.is(market.task(jobId, held.indexOf(1), NEWCOMER_LEASE_MS - 1)!.liveClaims, 1)
  t.is(market.task(jobId, held.indexOf(1), NEWCOMER_LEASE_MS)!.liveClaims, 0)
})

test('a signer with validated work holds what it claims for the whole lease', (t) => {
  const market = reader()
  establish(market, [peer(1)])
  const jobId = openJob(market)
  market.receive(plain(peer(1), claim(jobId, all(20), LEASE_MS)), 0)
  t.deepEqual(liveClaims(market, jobId, 20, LEASE_MS - 1), new Array(20).fill(1))
  t.deepEqual(liveClaims(market, jobId, 20, LEASE_MS), new Array(20).fill(0))
})

test('claims that run out unanswered cost their signer its claims, beyond its validated work', (t) => {
  const market = reader()
  establish(market, [peer(1)])
  const taskCount = 40
  const jobId = openJob(market, taskCount)
  // One validated result earns an allowance of 1 + UNANSWERED_CLAIM_ALLOWANCE unanswered claims.
  const allowance = 1 + UNANSWERED_CLAIM_ALLOWANCE
  market.receive(plain(peer(1), claim(jobId, all(allowance), LEASE_MS)), 0)
  t.is(market.task(jobId, 0, 1)!.liveClaims, 1)
  // Every one of those leases runs out without an answer: its next claim holds nothing.
  const later = LEASE_MS + 1
  market.receive(plain(peer(1), claim(jobId, [allowance, allowance + 1], later + LEASE_MS)), later)
  t.is(market.task(jobId, allowance, later + 1)!.liveClaims, 0)
  t.is(market.task(jobId, allowance + 1, later + 1)!.liveClaims, 0)
})

test('answered claims cost nothing: a peer that answers what it claims keeps claiming', (t) => {
  const market = reader()
  establish(market, [peer(1)])
  const jobId = openJob(market, 40, 1)
  let now = 0
  for (let round = 0; round < 4; round++) {
    const tasks = all(10).map((i) => round * 10 + i)
    market.receive(plain(peer(1), claim(jobId, tasks, now + LEASE_MS)), now)
    t.is(market.task(jobId, tasks[0]!, now + 1)!.liveClaims, 1, `round ${round}`)
    for (const task of tasks) market.receive(plain(peer(1), result(jobId, task, task)), now + 10)
    now += LEASE_MS + 1
  }
})

test('no set of fresh keys keeps a task from others past one lease, until a result moves it on', (t) => {
  const market = reader()
  const jobId = openJob(market, 4, 2)
  let key = 1
  // A jammer signs with a new key every 25 s, claiming every task with the longest lease it may.
  for (let now = 0; now < 3 * LEASE_MS; now += 25_000) {
    market.receive(plain(peer(key++), claim(jobId, all(4), now + LEASE_MS)), now)
    market.receive(plain(peer(key++), claim(jobId, all(4), now + LEASE_MS)), now)
    const needed = market.task(jobId, 0, now)!.needed
    if (now < LEASE_MS) t.is(needed, 0, `held at ${now}`)
    else t.is(needed, 2, `free at ${now}`)
  }
  // An honest signer with standing answers task 0: its next claims start a new hold.
  establish(market, [peer(5000)])
  const now = 3 * LEASE_MS
  market.receive(plain(peer(5000), result(jobId, 0, 0)), now)
  market.receive(plain(peer(key), claim(jobId, [0], now + LEASE_MS)), now + 1)
  t.is(market.task(jobId, 0, now + 2)!.liveClaims, 1)
  t.is(market.task(jobId, 0, now + 1 + NEWCOMER_LEASE_MS)!.liveClaims, 0)
})

test('a fresh key answering junk does not start a new hold', (t) => {
  const market = reader()
  const jobId = openJob(market, 1, 2)
  market.receive(plain(peer(1), claim(jobId, [0], LEASE_MS)), 0)
  const late = LEASE_MS + 1
  market.receive(plain(peer(2), result(jobId, 0, 'junk')), late)
  market.receive(plain(peer(3), claim(jobId, [0], late + LEASE_MS)), late)
  t.is(market.task(jobId, 0, late + 1)!.liveClaims, 0)
})

test('thousands of fresh keys on one task hold a bounded number of claims', (t) => {
  const market = reader()
  const jobId = openJob(market, 1, 64)
  for (let key = 1; key <= 5000; key++) market.receive(plain(peer(key), claim(jobId, [0], LEASE_MS)), 0)
  t.is(market.task(jobId, 0, 1)!.liveClaims, 64)
  t.is(market.task(jobId, 0, 1)!.needed, 0)
})

test("once a hold has run out, a claim by a signer with validated work begins a new one; a fresh key's does not", (t) => {
  const market = reader()
  establish(market, [peer(900)])
  const jobId = openJob(market, 1, 1)
  market.receive(plain(peer(1), claim(jobId, [0], LEASE_MS)), 0)
  const late = LEASE_MS + 5
  market.receive(plain(peer(2), claim(jobId, [0], late + LEASE_MS)), late)
  t.is(market.task(jobId, 0, late + 1)!.needed, 1, 'a fresh key cannot hold it again')
  market.receive(plain(peer(900), claim(jobId, [0], late + LEASE_MS)), late + 2)
  t.is(market.task(jobId, 0, late + 3)!.needed, 0, 'an established signer can, so others wait for it')
  t.is(market.task(jobId, 0, late + 2 + LEASE_MS)!.needed, 1)
})
