import test from 'ava'
import { workloadDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'

test('publish checks its rules before it reads the workload, naming the option and its range', async (t) => {
  const peer = await startPeer(t)
  // No such folder: a rule out of range is what must be heard of first.
  const publish = (options: Parameters<typeof peer.publish>[2]) => peer.publish('/nonexistent', {}, options)
  const replicas = await t.throwsAsync(publish({ quorum: 3, maxReplicas: 2 }))
  t.is(replicas?.name, 'InvalidOptionError')
  t.is(replicas?.message, 'options.maxReplicas must be an integer from 3 (the quorum) to 128, not 2')
  const lease = await t.throwsAsync(publish({ leaseMs: 0 }))
  t.is(lease?.name, 'InvalidOptionError')
  t.is(lease?.message, 'options.leaseMs must be an integer from 1000 to 86400000, not 0')
  const batch = await t.throwsAsync(publish({ batchSize: 0 }))
  t.is(batch?.message, 'options.batchSize must be a positive integer, not 0')
  // Rules in range go on to the folder.
  const folder = await t.throwsAsync(publish({ quorum: 3, maxReplicas: 3, leaseMs: 1000 }))
  t.is(folder?.name, 'WorkloadPackageError')
})

test('a target error rate is announced, and without --spot-checks raises the rate to enough checks to show it', async (t) => {
  const peer = await startPeer(t)
  // 200 tasks; showing 2 % with no error takes 149 checks (1 − 0.05^(1/149) ≤ 0.02).
  const params = { upTo: 2_000_000, chunk: 10_000 }
  const targeted = await peer.results(
    await peer.publish(workloadDir('primes'), params, { targetError: 0.02 }),
  )
  t.like(targeted.verification, {
    targetError: 0.02,
    spotCheckRate: 149 / 200,
    errorBound: null,
    targetMet: false,
  })
  // A rate asked for stays; a target that the default rate already shows raises nothing.
  const asked = await peer.results(
    await peer.publish(workloadDir('primes'), params, { targetError: 0.02, spotChecks: 0.2 }),
  )
  t.like(asked.verification, { targetError: 0.02, spotCheckRate: 0.2 })
  const loose = await peer.results(await peer.publish(workloadDir('primes'), params, { targetError: 0.5 }))
  t.like(loose.verification, { targetError: 0.5, spotCheckRate: 0.1 })
  const plain = await peer.results(await peer.publish(workloadDir('primes'), params))
  t.like(plain.verification, { targetError: null, targetMet: null })
  for (const bad of [0, 1, -0.1, Number.NaN]) {
    const error = await t.throwsAsync(peer.publish(workloadDir('primes'), params, { targetError: bad }))
    t.is(error?.message, `options.targetError must be a fraction above 0 and below 1, not ${bad}`)
  }
})
