// The credit history a peer keeps: what its market validated for it, dated when it learnt of it.
import test, { type ExecutionContext } from 'ava'
import { createMarket, type Market, type MarketEnvelope } from '@p2pc/market'
import { CreditLedger, utcDay } from '@p2pc/node'
import { createStore, type Store } from '@p2pc/store'
import { PUBLISHER, peer, plain, plainJob, result } from '../market/fixtures.ts'
import { temporaryDir } from '../helpers/paths.ts'

const SELF = peer(1)
const OTHER = peer(2)
const DAY = 86_400_000
const MONDAY = Date.UTC(2026, 11, 7, 23, 59)

/** A one-replica job, whose results validate at once: its announce and batch. */
function oneReplicaJob(nonce: string) {
  const { jobId, job, inputs } = plainJob({ taskCount: 4, quorum: 1, maxReplicas: 1, nonce })
  return { jobId, envelopes: [job, inputs] }
}

async function startedStore(t: ExecutionContext, dir: string): Promise<Store> {
  const store = createStore({ dir })
  await store.start()
  t.teardown(() => store.stop())
  return store
}

test('credit is written down per job under the day it was validated, once, and read again after a restart', async (t) => {
  const dir = await temporaryDir(t)
  const store = await startedStore(t, dir)
  const market: Market = createMarket({ self: SELF, trust: new Set([PUBLISHER]), maxActiveClaims: 0 })
  const first = oneReplicaJob('0000000000000001')
  const second = oneReplicaJob('0000000000000002')
  const log: MarketEnvelope[] = [...first.envelopes, ...second.envelopes]
  for (const envelope of log) market.receive(envelope, 0)
  const ledger = new CreditLedger({ market, store })
  ledger.start()
  ledger.record(MONDAY)
  t.deepEqual(store.creditHistory(), [], 'nothing validated, nothing written')

  const answer = (jobId: string, task: number, signer: string, durationMs: number) => {
    const envelope = plain(signer, result(jobId, task, task, durationMs))
    log.push(envelope)
    market.receive(envelope, 0)
  }
  answer(first.jobId, 0, SELF, 1500)
  answer(first.jobId, 1, SELF, 500)
  answer(first.jobId, 2, OTHER, 9000)
  ledger.record(MONDAY)
  ledger.record(MONDAY + 1)
  answer(second.jobId, 0, SELF, 250)
  answer(first.jobId, 3, SELF, 1000)
  ledger.record(MONDAY + DAY)
  const monday = utcDay(MONDAY)
  const tuesday = utcDay(MONDAY + DAY)
  t.not(monday, tuesday)
  const byDayAndJob = (a: { day: string; jobId: string }, b: { day: string; jobId: string }) =>
    a.day.localeCompare(b.day) || a.jobId.localeCompare(b.jobId)
  t.deepEqual(
    store.creditHistory(),
    [
      { day: monday, jobId: first.jobId, creditMs: 2000 },
      { day: tuesday, jobId: first.jobId, creditMs: 1000 },
      { day: tuesday, jobId: second.jobId, creditMs: 250 },
    ].sort(byDayAndJob),
  )

  // A restart: a fresh market replays the same log, and the history gains nothing.
  const again: Market = createMarket({ self: SELF, trust: new Set([PUBLISHER]), maxActiveClaims: 0 })
  for (const envelope of log) again.receive(envelope, 0)
  const restarted = new CreditLedger({ market: again, store })
  restarted.start()
  restarted.record(MONDAY + 2 * DAY)
  t.is(store.creditHistory().length, 3)
  const report = restarted.report()
  t.is(report.total, 3.25)
  t.deepEqual(
    report.days.map((day) => [day.day, day.credit]),
    [
      [monday, 2],
      [tuesday, 1.25],
    ],
  )
  t.deepEqual(report.jobs, [
    { jobId: first.jobId, name: 'squares', credit: 3 },
    { jobId: second.jobId, name: 'squares', credit: 0.25 },
  ])
})

test('a job the market forgot keeps its credit in the history', async (t) => {
  const store = await startedStore(t, await temporaryDir(t))
  const market: Market = createMarket({ self: SELF, trust: new Set([PUBLISHER]), maxActiveClaims: 0 })
  const { jobId, envelopes } = oneReplicaJob('0000000000000003')
  for (const envelope of envelopes) market.receive(envelope, 0)
  market.receive(plain(SELF, result(jobId, 0, 0, 700)), 0)
  const ledger = new CreditLedger({ market, store })
  ledger.start()
  ledger.record(MONDAY)
  market.forget(jobId)
  ledger.record(MONDAY + DAY)
  t.deepEqual(store.creditHistory(), [{ day: utcDay(MONDAY), jobId, creditMs: 700 }])
  t.deepEqual(ledger.report().jobs, [{ jobId, credit: 0.7 }], 'no name once the job is forgotten')
})

test('credit a write could not keep is written by the next comparison', async (t) => {
  const store = await startedStore(t, await temporaryDir(t))
  const market: Market = createMarket({ self: SELF, trust: new Set([PUBLISHER]), maxActiveClaims: 0 })
  const { jobId, envelopes } = oneReplicaJob('0000000000000004')
  for (const envelope of envelopes) market.receive(envelope, 0)
  let full = true
  const ledger = new CreditLedger({ market, store, attempt: (write) => void (full || write()) })
  ledger.start()
  market.receive(plain(SELF, result(jobId, 0, 0, 400)), 0)
  ledger.record(MONDAY)
  t.deepEqual(store.creditHistory(), [])
  full = false
  ledger.record(MONDAY + DAY)
  t.deepEqual(store.creditHistory(), [{ day: utcDay(MONDAY + DAY), jobId, creditMs: 400 }])
})
