import test from 'ava'
import { createMarket, type Market } from '@p2pc/market'
import { observe, peer, plain, plainJob, result } from './fixtures.ts'

const READER = peer(0)

function reader(): Market {
  return createMarket({ self: READER, maxActiveClaims: 0 })
}

test('forget drops a job and what its tallies added to signers; its envelopes are taken again afterwards', (t) => {
  const stranger = plainJob({ taskCount: 2, quorum: 2, maxReplicas: 3 }, peer(50))
  const kept = plainJob({ taskCount: 2, quorum: 2, maxReplicas: 3, nonce: 'fedcba9876543210' })
  const strangerEnvelopes = [
    stranger.job,
    stranger.inputs,
    ...[1, 2].flatMap((signer) =>
      [0, 1].map((task) => plain(peer(signer), result(stranger.jobId, task, task))),
    ),
  ]
  const market = reader()
  const untouched = reader()
  for (const m of [market, untouched]) {
    m.receive(kept.job, 0)
    m.receive(kept.inputs, 0)
    m.receive(plain(peer(1), result(kept.jobId, 0, 0)), 0)
    m.receive(plain(peer(2), result(kept.jobId, 0, 0)), 0)
  }
  for (const envelope of strangerEnvelopes) market.receive(envelope, 0)
  t.is(market.job(stranger.jobId)?.status, 'complete')
  t.is(market.signer(peer(1)).valid, 3)

  t.true(
    market.forget(
      stranger.jobId,
      strangerEnvelopes.map((e) => e.id),
    ),
  )
  t.deepEqual(market.jobIds(), [kept.jobId])
  t.is(market.job(stranger.jobId), undefined)
  t.deepEqual(market.signers(stranger.jobId), [])
  t.deepEqual(observe(market, kept.jobId), observe(untouched, kept.jobId))
  t.deepEqual(market.signers(), untouched.signers(), 'the forgotten job counts for nobody')
  t.false(market.forget(stranger.jobId), 'a forgotten job is unknown')

  // Heard again (sync, gossip), the job is taken again as if it were new.
  market.takeActions()
  for (const envelope of strangerEnvelopes) t.true(market.receive(envelope, 1))
  t.is(market.job(stranger.jobId)?.status, 'complete')
  t.is(market.signer(peer(1)).valid, 3)
})

test('forget of a job never announced drops its results and claims', (t) => {
  const { jobId } = plainJob({}, peer(60))
  const market = reader()
  market.receive(plain(peer(3), result(jobId, 0, 'x')), 0)
  market.receive(plain(peer(3), { type: 'Claim', v: 1, jobId, tasks: [1], leaseEnd: 10 }), 0)
  t.true(market.forget(jobId))
  t.false(market.forget(jobId))
  t.deepEqual(market.jobIds(), [])
})

test('a signer blocked by the wrong answers of a forgotten job is judged again where else it answered', (t) => {
  // Signer 9 answers two tasks of a stranger's job wrongly: blocked, so its right answer in the
  // kept job counts for nothing. Once the stranger's job is forgotten, it does count.
  const stranger = plainJob({ taskCount: 2, quorum: 2, maxReplicas: 3 }, peer(50))
  const kept = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 3, nonce: 'fedcba9876543210' })
  const market = reader()
  market.receive(stranger.job, 0)
  market.receive(stranger.inputs, 0)
  for (const task of [0, 1]) {
    market.receive(plain(peer(1), result(stranger.jobId, task, task)), 0)
    market.receive(plain(peer(2), result(stranger.jobId, task, task)), 0)
    market.receive(plain(peer(9), result(stranger.jobId, task, 'wrong')), 0)
  }
  market.receive(kept.job, 0)
  market.receive(kept.inputs, 0)
  market.receive(plain(peer(1), result(kept.jobId, 0, 0)), 0)
  market.receive(plain(peer(9), result(kept.jobId, 0, 0)), 0)
  t.true(market.signer(peer(9)).blocked)
  t.is(market.job(kept.jobId)?.progress.validated, 0)

  market.forget(stranger.jobId)
  t.false(market.signer(peer(9)).blocked)
  t.is(market.job(kept.jobId)?.progress.validated, 1)
  t.is(market.signer(peer(9)).valid, 1)
})
