// The publisher's spot checks on real peers: it computes drawn tasks itself once they are settled,
// catches colluders who agreed on a wrong answer, and in an adaptive job lets a contributor with a
// clean record validate tasks alone.
import test, { type ExecutionContext } from 'ava'
import { CREDIBLE_AFTER_CHECKS } from '@p2pc/market'
import type { Peer } from '@p2pc/node'
import { workloadDir } from '../helpers/paths.ts'
import { alteringPool, jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'

const PARAMS = { upTo: 1_000_000, chunk: 100_000 }
const PRIMES_BELOW_1E6 = 78498
const TASKS = 10

test('colluders that agree on wrong answers are caught by spot checks, earn nothing, and the job ends right', async (t) => {
  const publisher = await startPeer(t)
  // Both falsify their outputs the same way: together they make a quorum of 2 on every task they share.
  const lie = (output: unknown) => ({ count: (output as { count: number }).count + 1 })
  const liars = [await startPeerWithPool(t, publisher, lie), await startPeerWithPool(t, publisher, lie)]
  let lies = 0
  for (const liar of liars) {
    liar.addEventListener('task', (event) => {
      if ((event as CustomEvent<{ state: string }>).detail.state === 'done') lies++
    })
  }
  // Every task is checked: the test does not depend on which ones the publisher's key draws.
  const jobId = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 2, spotChecks: 1 })
  await waitFor(liars[0]!, () => lies >= 4, 60_000, 'the colluders answered tasks')
  await startContributor(t, publisher)
  await startContributor(t, publisher)
  await jobComplete(publisher, jobId)
  const results = await publisher.results(jobId)
  t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
  t.is(results.verification.spotCheckRate, 1)
  t.true(results.verification.checked > 0)
  t.true(results.verification.checksDisagreed > 0)
  for (const liar of liars) {
    const stats = results.contributors.find((c) => c.peer === liar.peerId)
    t.truthy(stats, 'a colluder answered tasks')
    t.true(stats!.caught)
    t.is(stats!.validated, 0)
    t.is(stats!.credit, 0)
  }
})

test("in an adaptive job, a contributor that passed the publisher's spot checks validates tasks alone", async (t) => {
  const publisher = await startPeer(t)
  const contributor = await startContributor(t, publisher)
  // A first job, every task checked: the contributor passes TASKS checks.
  const first = await publisher.publish(workloadDir('primes'), PARAMS, { quorum: 1, spotChecks: 1 })
  await jobComplete(publisher, first)
  await waitFor(
    publisher,
    async () => (await publisher.results(first)).verification.checked === TASKS,
    60_000,
    'every task of the first job checked',
  )
  t.true(TASKS >= CREDIBLE_AFTER_CHECKS)
  const checked = (await publisher.results(first)).verification
  t.is(checked.checksMade, TASKS)
  t.is(checked.checksDisagreed, 0)
  // The second job asks for a quorum of 2, and only one contributor works on it.
  const second = await publisher.publish(workloadDir('primes'), PARAMS, {
    quorum: 2,
    verification: 'adaptive',
    spotChecks: 0,
  })
  await jobComplete(publisher, second)
  const results = await publisher.results(second)
  t.deepEqual(results.aggregate, { count: PRIMES_BELOW_1E6 })
  t.is(results.verification.mode, 'adaptive')
  // Each task validated alone; the publisher seals what it saw validated, and a task whose seal
  // the tally meets first says 'sealed'. No task waited for a quorum of two.
  t.is(results.verification.quorum, 0)
  t.is(results.verification.single + results.verification.sealed, TASKS)
  t.deepEqual(
    results.contributors.map((c) => [c.peer, c.validated]),
    [[contributor.peerId, TASKS]],
  )
})

test('publish refuses a verification or a spot-check rate it does not know, before anything is announced', async (t) => {
  const publisher = await startPeer(t)
  await t.throwsAsync(publisher.publish(workloadDir('primes'), PARAMS, { verification: 'lax' as never }), {
    message: /verification must be strict or adaptive/,
  })
  await t.throwsAsync(publisher.publish(workloadDir('primes'), PARAMS, { spotChecks: 2 }), {
    message: /spotChecks must be a fraction from 0 to 1/,
  })
  t.deepEqual(publisher.jobs(), [])
})

/** A one-thread contributor of `publisher` whose outputs pass through `alter`. */
function startPeerWithPool(t: ExecutionContext, publisher: Peer, alter: (output: unknown) => unknown) {
  return startPeer(
    t,
    { bootstrap: publisher.addresses(), contribute: true, threads: 1, trust: [publisher.peerId] },
    { pool: alteringPool(alter) },
  )
}
