import test from 'ava'
import { MAX_CLAIM_TASKS } from '@p2pc/protocol'
import { WORK_AHEAD_MS, claimCapacity } from '@p2pc/node'

test('two tasks per thread while run times are unknown or long, claimed one thread-full at a time', (t) => {
  t.deepEqual(claimCapacity(1, undefined), { maxActiveClaims: 2, minClaimSize: 1 })
  t.deepEqual(claimCapacity(4, undefined), { maxActiveClaims: 8, minClaimSize: 4 })
  t.deepEqual(claimCapacity(4, 60_000), { maxActiveClaims: 8, minClaimSize: 4 })
})

test('short tasks: about WORK_AHEAD_MS of work per thread, claimed in big batches, within the claim limit', (t) => {
  const tenMs = claimCapacity(2, 10)
  t.is(tenMs.maxActiveClaims, 2 * Math.ceil(WORK_AHEAD_MS / 10))
  t.is(tenMs.minClaimSize, tenMs.maxActiveClaims / 2)
  const oneMs = claimCapacity(2, 1)
  t.is(oneMs.maxActiveClaims, MAX_CLAIM_TASKS)
  t.is(oneMs.minClaimSize, MAX_CLAIM_TASKS / 2)
  t.is(claimCapacity(64, 0).maxActiveClaims, MAX_CLAIM_TASKS, 'an instant task does not divide by zero')
})
