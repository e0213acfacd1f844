// Claim selection: which tasks a peer takes, through the market's tick and its actions.
import test from 'ava'
import { createMarket, rendezvousRank, rendezvousSeed } from '@p2pc/market'
import type { ClaimAction, Market, MarketAction, MarketInit, RunAction } from '@p2pc/market'
import type { Claim } from '@p2pc/protocol'
import { PUBLISHER, batch, establish, peer, plain, plainJob, result } from './fixtures.ts'

const SELF = peer(1)

function worker(init: Partial<MarketInit> = {}): Market {
  return createMarket({ self: SELF, trust: new Set([PUBLISHER]), ...init })
}

function claims(actions: MarketAction[]): ClaimAction[] {
  return actions.filter((a): a is ClaimAction => a.type === 'claim')
}

function runs(actions: MarketAction[]): RunAction[] {
  return actions.filter((a): a is RunAction => a.type === 'run')
}

function claimOf(jobId: string, tasks: number[], leaseEnd: number): Claim {
  return { type: 'Claim', v: 1, jobId, tasks, leaseEnd }
}

/** Task indexes in the rendezvous order of a peer. */
function rankOrder(self: string, jobId: string, taskCount: number): number[] {
  const seed = rendezvousSeed(self, jobId)
  return Array.from({ length: taskCount }, (_, i) => i).sort(
    (a, b) => rendezvousRank(seed, a) - rendezvousRank(seed, b),
  )
}

test('a peer claims its first tasks in rendezvous order, and runs them with their inputs', (t) => {
  const { jobId, job, inputs, announce } = plainJob({ taskCount: 100, leaseMs: 30_000 })
  const market = worker({ maxActiveClaims: 3 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(1000)
  const actions = market.takeActions().filter((a) => a.type !== 'persist')
  const expected = rankOrder(SELF, jobId, 100).slice(0, 3)
  t.deepEqual(actions[0], { type: 'claim', jobId, tasks: expected, leaseEnd: 31_000 })
  t.deepEqual(
    runs(actions).map(({ task, input, workload, leaseEnd }) => ({ task, input, workload, leaseEnd })),
    expected.map((task) => ({ task, input: { n: task }, workload: announce.workload, leaseEnd: 31_000 })),
  )
  t.deepEqual(
    market.activeClaims().map((c) => c.task),
    expected,
  )
})

test('distinct peers start at different tasks', (t) => {
  const { job, inputs } = plainJob({ taskCount: 1000 })
  const firsts = new Set<number>()
  for (let n = 1; n <= 8; n++) {
    const market = createMarket({ self: peer(n), trustAny: true, maxActiveClaims: 1 })
    market.receive(job, 0)
    market.receive(inputs, 0)
    market.tick(0)
    firsts.add(claims(market.takeActions())[0]!.tasks[0]!)
  }
  t.is(firsts.size, 8)
})

test('claims are bounded by maxActiveClaims, and a result frees a slot', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 50 })
  const market = worker({ maxActiveClaims: 2 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(0)
  const first = claims(market.takeActions())
  t.is(first.length, 1)
  t.is(first[0]!.tasks.length, 2)
  market.tick(1)
  t.deepEqual(claims(market.takeActions()), [])
  market.receive(plain(SELF, result(jobId, first[0]!.tasks[0]!, 'out')), 2)
  market.tick(3)
  const next = claims(market.takeActions())
  t.is(next.length, 1)
  t.is(next[0]!.tasks.length, 1)
  t.false(first[0]!.tasks.includes(next[0]!.tasks[0]!))
})

test('with minClaimSize, a peer claims again only once that many slots are free, all in one claim', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 50 })
  const market = worker({ maxActiveClaims: 4, minClaimSize: 3 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(0)
  const first = claims(market.takeActions())[0]!.tasks
  t.is(first.length, 4)
  for (const [i, task] of first.slice(0, 2).entries())
    market.receive(plain(SELF, result(jobId, task, 'out')), i)
  market.tick(5)
  t.deepEqual(claims(market.takeActions()), [], 'two free slots are fewer than three')
  market.receive(plain(SELF, result(jobId, first[2]!, 'out')), 6)
  market.tick(7)
  const next = claims(market.takeActions())
  t.is(next.length, 1)
  t.is(next[0]!.tasks.length, 3, 'the claim fills every free slot')
})

test('setCapacity changes the claims of the next tick, and checks its values', (t) => {
  const { job, inputs } = plainJob({ taskCount: 50 })
  const market = worker({ maxActiveClaims: 0 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(0)
  t.deepEqual(claims(market.takeActions()), [])
  market.setCapacity({ maxActiveClaims: 6, minClaimSize: 3 })
  market.tick(1)
  t.is(claims(market.takeActions())[0]!.tasks.length, 6)
  t.throws(() => market.setCapacity({ maxActiveClaims: 2, minClaimSize: 3 }), {
    name: 'InvalidParametersError',
  })
  t.throws(() => market.setCapacity({ maxActiveClaims: 10_000 }), { name: 'InvalidParametersError' })
})

for (const order of ['in order', 'release first'] as const) {
  test(`a claim with a lease end in the past gives the task up at once (${order})`, (t) => {
    const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 1, maxReplicas: 1, leaseMs: 60_000 })
    const market = worker({ maxActiveClaims: 1 })
    market.receive(job, 0)
    market.receive(inputs, 0)
    const held = plain(peer(2), claimOf(jobId, [0], 60_000))
    const givenUp = plain(peer(2), claimOf(jobId, [0], 5))
    market.receive(held, 10)
    market.tick(10)
    t.deepEqual(claims(market.takeActions()), [], 'the only replica is held by peer 2')
    for (const envelope of order === 'in order' ? [held, givenUp] : [givenUp, held])
      market.receive(envelope, 20)
    market.tick(21)
    t.deepEqual(
      claims(market.takeActions()).map((c) => c.tasks),
      [[0]],
      'peer 2 gave it up long before its lease',
    )
  })
}

test('release frees a slot, and the released task is not claimed again', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 3, quorum: 1, maxReplicas: 1 })
  const market = worker({ maxActiveClaims: 1 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  const taken: number[] = []
  for (let step = 0; step < 5; step++) {
    market.tick(step)
    for (const c of claims(market.takeActions())) {
      taken.push(...c.tasks)
      market.release(jobId, c.tasks[0]!)
    }
  }
  t.deepEqual(
    [...taken].sort((a, b) => a - b),
    [0, 1, 2],
  )
})

test('a peer never claims a task it answered or claimed before, even after its lease ran out', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 4, quorum: 3, maxReplicas: 3, leaseMs: 1000 })
  const order = rankOrder(SELF, jobId, 4)
  const market = worker({ maxActiveClaims: 4 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  // An answer and a claim of its own, say from its log or relayed back after a restart.
  market.receive(plain(SELF, result(jobId, order[0]!, 'mine')), 0)
  market.receive(plain(SELF, claimOf(jobId, [order[1]!], 500)), 0)
  market.tick(1000)
  const first = claims(market.takeActions()).flatMap((c) => c.tasks)
  t.deepEqual(first, order.slice(2))
  // The leases run out without results: the tasks are free for others, not for this peer again.
  market.tick(5000)
  t.deepEqual(claims(market.takeActions()), [])
  t.is(market.task(jobId, order[2]!, 5000)!.needed, 3)
})

test('a task held by enough live claims of others is passed over, and taken once their leases end', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 2, quorum: 1, maxReplicas: 1, leaseMs: 10_000 })
  const [firstChoice, secondChoice] = rankOrder(SELF, jobId, 2)
  const market = worker({ maxActiveClaims: 1 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.receive(plain(peer(2), claimOf(jobId, [firstChoice!], 10_000)), 0)
  market.tick(100)
  t.deepEqual(claims(market.takeActions())[0]!.tasks, [secondChoice])
  market.receive(plain(SELF, result(jobId, secondChoice!, 'done')), 200)
  market.tick(9_999)
  t.deepEqual(claims(market.takeActions()), [])
  market.tick(10_000)
  t.deepEqual(claims(market.takeActions())[0]!.tasks, [firstChoice])
})

test('a disagreement reopens a task this peer had passed over', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 1, quorum: 2, maxReplicas: 3 })
  const market = worker({ maxActiveClaims: 1 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.receive(plain(peer(2), result(jobId, 0, 'a')), 0)
  market.receive(plain(peer(3), claimOf(jobId, [0], 60_000)), 0)
  market.tick(0)
  t.deepEqual(claims(market.takeActions()), [])
  // Peer 3 answers differently: target 3, two results, no live claim: one replica is needed.
  market.receive(plain(peer(3), result(jobId, 0, 'b')), 1)
  market.tick(2)
  t.deepEqual(claims(market.takeActions())[0]!.tasks, [0])
})

test('only jobs of trusted publishers are worked on', (t) => {
  const stranger = peer(50)
  const { job, inputs } = plainJob({ taskCount: 5 }, stranger)
  const cases: Array<[string, Partial<MarketInit>, boolean]> = [
    ['nobody trusted', {}, false],
    ['another publisher trusted', { trust: new Set([PUBLISHER]) }, false],
    ['trusted by set', { trust: new Set([stranger]) }, true],
    ['trusted by predicate', { trust: (p: string) => p === stranger }, true],
    ['trust any', { trustAny: true }, true],
  ]
  for (const [title, init, works] of cases) {
    const market = createMarket({ self: SELF, ...init })
    market.receive(job, 0)
    market.receive(inputs, 0)
    market.tick(0)
    t.is(claims(market.takeActions()).length > 0, works, title)
  }
  // Its own jobs are always trusted.
  const own = plainJob({ taskCount: 5 }, SELF)
  const market = createMarket({ self: SELF })
  market.receive(own.job, 0)
  market.receive(own.inputs, 0)
  market.tick(0)
  t.is(claims(market.takeActions()).length, 1)
})

test('a reader with maxActiveClaims 0 never claims', (t) => {
  const { job, inputs } = plainJob({ taskCount: 5 })
  const market = worker({ maxActiveClaims: 0 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  market.tick(0)
  t.deepEqual(claims(market.takeActions()), [])
})

test('tasks without known inputs are not claimed; inputs by CID are fetched, then supplied', (t) => {
  const { jobId, job, announce } = plainJob({ taskCount: 6, batchCount: 2 })
  const inputsCid = 'bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
  const market = worker({ maxActiveClaims: 6 })
  market.receive(job, 0)
  market.receive(plain(PUBLISHER, batch(jobId, 0, 0, [{ n: 0 }, { n: 1 }, { n: 2 }])), 0)
  market.receive(plain(PUBLISHER, { type: 'TaskBatch', v: 1, jobId, batch: 1, first: 3, inputsCid }), 0)
  market.tick(0)
  const actions = market.takeActions()
  t.deepEqual(
    actions.filter((a) => a.type === 'fetch'),
    [{ type: 'fetch', jobId, cid: inputsCid }],
  )
  t.deepEqual(
    claims(actions)
      .flatMap((c) => c.tasks)
      .sort(),
    [0, 1, 2],
  )
  t.deepEqual(market.job(jobId)!.missingInputs, [inputsCid])
  t.false(market.supplyInputs(jobId, 'bafyreiother', [1]))
  t.true(market.supplyInputs(jobId, inputsCid, [{ n: 3 }, { n: 4 }, { n: 5 }]))
  t.deepEqual(market.job(jobId)!.missingInputs, [])
  market.tick(1)
  const later = market.takeActions()
  t.deepEqual(
    runs(later)
      .map((r) => [r.task, r.input])
      .sort(),
    [
      [3, { n: 3 }],
      [4, { n: 4 }],
      [5, { n: 5 }],
    ],
  )
  t.is(announce.taskCount, 6)
})

test('a big job: claiming stays cheap, and peers spread over the tasks', (t) => {
  const { jobId, job, inputs } = plainJob({ taskCount: 100_000, quorum: 1, maxReplicas: 1 })
  const market = worker({ maxActiveClaims: 4 })
  market.receive(job, 0)
  market.receive(inputs, 0)
  // Everybody else claims a wide stripe of tasks: this peer must pass over them without rescanning.
  establish(
    market,
    Array.from({ length: 198 }, (_, i) => peer(i + 2)),
  )
  for (let n = 2; n < 200; n++) {
    const tasks = Array.from({ length: 256 }, (_, i) => (n * 256 + i) % 100_000)
    market.receive(plain(peer(n), claimOf(jobId, tasks, 60_000)), 0)
  }
  const seen = new Set<number>()
  for (let step = 0; step < 500; step++) {
    market.tick(step)
    for (const c of claims(market.takeActions())) {
      for (const task of c.tasks) {
        t.false(seen.has(task))
        seen.add(task)
        market.receive(plain(SELF, result(jobId, task, task)), step)
      }
    }
  }
  t.is(seen.size, 2000)
  t.true([...seen].every((task) => task < 512 || task >= 200 * 256))
})
