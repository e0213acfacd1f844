import test from 'ava'
import { createMarket, type Market, type MarketAction } from '@p2pc/market'
import type { Cancel } from '@p2pc/protocol'
import { PUBLISHER, peer, plain, plainJob, result } from './fixtures.ts'

const SELF = peer(7)

function contributor(): Market {
  return createMarket({ self: SELF, maxActiveClaims: 4, trust: new Set([PUBLISHER]) })
}

function cancel(jobId: string, signer = PUBLISHER) {
  const message: Cancel = { type: 'Cancel', v: 1, jobId }
  return plain(signer, message)
}

function kinds(actions: MarketAction[]): string[] {
  return actions.filter((action) => action.type !== 'persist').map((action) => action.type)
}

test("the publisher's cancel stops a job: the peer is told to stop its tasks, and claims no more", (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 8 })
  const market = contributor()
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(0)
  t.true(kinds(market.takeActions()).includes('claim'))

  t.false(market.receive(cancel(jobId, peer(51)), 1), 'anyone else signs a cancel in vain')
  t.is(market.job(jobId)!.status, 'open')

  t.true(market.receive(cancel(jobId), 2))
  t.deepEqual(
    market.takeActions().filter((action) => action.type === 'cancel'),
    [{ type: 'cancel', jobId }],
  )
  t.is(market.job(jobId)!.status, 'cancelled')
  market.tick(1_000_000)
  t.deepEqual(kinds(market.takeActions()), [], 'no claim once cancelled, even after the leases ran out')
})

test('a cancel heard before its announce takes effect when the announce comes, whoever else signed one', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 8 })
  const market = contributor()
  t.true(market.receive(cancel(jobId, peer(51)), 0), 'kept until the announce says who the publisher is')
  t.true(market.receive(cancel(jobId), 0))
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(0)
  const actions = kinds(market.takeActions())
  t.deepEqual(actions, ['cancel'])
  t.is(market.job(jobId)!.status, 'cancelled')
})

test('a job complete before its cancel stays complete', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 1, maxReplicas: 1 })
  const market = createMarket({ self: peer(9), maxActiveClaims: 0 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.receive(plain(peer(1), result(jobId, 0, null)), 0)
  market.receive(cancel(jobId), 0)
  t.is(market.job(jobId)!.status, 'complete')
})
