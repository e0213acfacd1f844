// The volunteer's controls in the market: a job it says no to is not claimed, and a task given
// back (a long pause, a suspended job) may be claimed again, unlike one whose run failed.
import test from 'ava'
import { createMarket, type MarketEnvelope, type RunAction } from '@p2pc/market'
import { jobIdOf } from '@p2pc/protocol'
import { announce, batch, inputsFor, peer, plain, PUBLISHER } from './fixtures.ts'

const SELF = peer(1)

function marketWithJob(works?: (jobId: string) => boolean) {
  const job = announce(PUBLISHER, { taskCount: 2, quorum: 1, maxReplicas: 1 })
  const jobId = jobIdOf(job)
  const market = createMarket<MarketEnvelope>({
    self: SELF,
    trust: new Set([PUBLISHER]),
    maxActiveClaims: 1,
    ...(works === undefined ? {} : { works }),
  })
  market.receive(plain(PUBLISHER, job), 0)
  market.receive(plain(PUBLISHER, batch(jobId, 0, 0, inputsFor(0, 2))), 0)
  market.takeActions()
  return { market, jobId }
}

function runs(market: ReturnType<typeof marketWithJob>['market'], now: number): number[] {
  market.tick(now)
  return market
    .takeActions()
    .filter((action): action is RunAction => action.type === 'run')
    .map((action) => action.task)
}

test('a job that works() says no to is not claimed until it says yes', (t) => {
  let suspended = true
  const { market } = marketWithJob(() => !suspended)
  t.deepEqual(runs(market, 1), [])
  suspended = false
  t.is(runs(market, 2).length, 1)
})

test('a task given back is claimed again; a released one is not', (t) => {
  const { market, jobId } = marketWithJob()
  const [first] = runs(market, 1)
  t.not(first, undefined)
  market.giveBack(jobId, first!)
  t.deepEqual(runs(market, 2), [first], 'the same task first: it keeps its place in the walk')
  market.release(jobId, first!)
  const [second] = runs(market, 3)
  t.not(second, first)
  market.release(jobId, second!)
  t.deepEqual(runs(market, 4), [], 'released tasks are never taken twice')
})
