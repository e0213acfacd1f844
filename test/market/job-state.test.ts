// Job state through the market: announces, the publisher's batches and their inputs.
import test from 'ava'
import fc from 'fast-check'
import { createMarket } from '@p2pc/market'
import type { MarketEnvelope } from '@p2pc/market'
import { jobIdOf } from '@p2pc/protocol'
import type { TaskBatch } from '@p2pc/protocol'
import { PUBLISHER, announce, arrivalOrder, batch, inputsFor, peer, plain } from './fixtures.ts'

const READER = peer(0)

function inputsSeen(envelopes: MarketEnvelope[], jobId: string, taskCount: number): unknown[] {
  const market = createMarket({ self: READER, maxActiveClaims: 0 })
  for (const e of envelopes) market.receive(e, 0)
  return Array.from({ length: taskCount }, (_, i) => market.task(jobId, i, 0)?.input)
}

test('batches fill task inputs; a task without a batch has none', (t) => {
  const message = announce(PUBLISHER, { taskCount: 5, batchCount: 3 })
  const jobId = jobIdOf(message)
  const envelopes = [
    plain(PUBLISHER, message),
    plain(PUBLISHER, batch(jobId, 0, 0, inputsFor(0, 2))),
    plain(PUBLISHER, batch(jobId, 2, 4, inputsFor(4, 1))),
  ]
  t.deepEqual(inputsSeen(envelopes, jobId, 5), [{ n: 0 }, { n: 1 }, undefined, undefined, { n: 4 }])
})

test('batches that do not fit the announce are ignored', (t) => {
  const message = announce(PUBLISHER, { taskCount: 4, batchCount: 2 })
  const jobId = jobIdOf(message)
  const market = createMarket({ self: READER, maxActiveClaims: 0 })
  market.receive(plain(PUBLISHER, message), 0)
  t.false(market.receive(plain(PUBLISHER, batch(jobId, 2, 0, inputsFor(0, 1))), 0), 'batch index too big')
  t.false(market.receive(plain(PUBLISHER, batch(jobId, 0, 3, inputsFor(3, 2))), 0), 'past the last task')
  t.false(market.receive(plain(PUBLISHER, batch(jobId, 1, 4, inputsFor(4, 1))), 0), 'first out of range')
  t.true(market.receive(plain(PUBLISHER, batch(jobId, 1, 3, inputsFor(3, 1))), 0))
  t.deepEqual(market.task(jobId, 3, 0)!.input, { n: 3 })
})

test('overlapping batches: the smaller batch index defines a task input', (t) => {
  const message = announce(PUBLISHER, { taskCount: 4, batchCount: 2 })
  const jobId = jobIdOf(message)
  const envelopes = [
    plain(PUBLISHER, message),
    plain(PUBLISHER, batch(jobId, 1, 0, ['b1-0', 'b1-1', 'b1-2'])),
    plain(PUBLISHER, batch(jobId, 0, 2, ['b0-2', 'b0-3'])),
  ]
  t.deepEqual(inputsSeen(envelopes, jobId, 4), ['b1-0', 'b1-1', 'b0-2', 'b0-3'])
  t.deepEqual(inputsSeen([...envelopes].reverse(), jobId, 4), ['b1-0', 'b1-1', 'b0-2', 'b0-3'])
})

test('property: batches from anyone but the publisher are ignored, before or after the announce', (t) => {
  const message = announce(PUBLISHER, { taskCount: 3 })
  const jobId = jobIdOf(message)
  const honest = plain(PUBLISHER, batch(jobId, 0, 0, inputsFor(0, 3)))
  const forged = [5, 6, 7].map((n) => plain(peer(n), batch(jobId, 0, 0, inputsFor(100 * n, 3))))
  const withHonest = fc
    .boolean()
    .chain((honestToo) => fc.tuple(fc.constant(honestToo), arrivalOrder(honestToo ? 5 : 4)))
  fc.assert(
    fc.property(withHonest, ([honestToo, order]) => {
      const pool: MarketEnvelope[] = [plain(PUBLISHER, message), ...forged, honest]
      const expected = honestToo ? inputsFor(0, 3) : [undefined, undefined, undefined]
      t.deepEqual(
        inputsSeen(
          order.map((i) => pool[i]!),
          jobId,
          3,
        ),
        expected,
      )
    }),
  )
})

test('property: of two batches for one index by the publisher, the smaller envelope id wins in any order', (t) => {
  const message = announce(PUBLISHER, { taskCount: 2 })
  const jobId = jobIdOf(message)
  const variants: TaskBatch[] = [
    batch(jobId, 0, 0, ['x', 'y']),
    batch(jobId, 0, 0, ['p', 'q']),
    batch(jobId, 0, 0, [1, 2]),
  ]
  const envelopes = [plain(PUBLISHER, message), ...variants.map((v) => plain(PUBLISHER, v))]
  const winner = envelopes.slice(1).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!.message as TaskBatch
  fc.assert(
    fc.property(arrivalOrder(envelopes.length), (order) => {
      t.deepEqual(
        inputsSeen(
          order.map((i) => envelopes[i]!),
          jobId,
          2,
        ),
        winner.inputs,
      )
    }),
  )
})
