import test from 'ava'
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
