import test from 'ava'
import { NEWCOMER_CLAIM_TASKS } from '@p2pc/market'
import type { TallyContext } from '@p2pc/market'
import { CLAIM, DeliveryLog, Network, Presence, RESULT, Viewer } from '@p2pc/sim'
import type { ClaimFacts } from '@p2pc/sim'

const LEASE = 60_000
const TASKS = 8
/** The contributor whose view is looked at; the others send. */
const LOOKER = 0
/** Well past any latency (at most five times the 100 ms mean). */
const SETTLE = 1000

interface Claimer {
  identity: number
  established: boolean
  rank?: number
}

/** A log, a loss-free network and a viewer over them, at quorum 2. */
function setup(context: TallyContext = {}) {
  const log = new DeliveryLog(TASKS)
  const network = new Network({
    seed: 1,
    latencyMs: 100,
    loss: 0,
    heartbeatMs: 1000,
    syncMs: 15_000,
    partitions: [],
    presence: new Presence(4),
  })
  const viewer = new Viewer({
    log,
    network,
    rules: { quorum: 2, maxReplicas: 10, maxErrors: 8 },
    context,
    leaseMs: LEASE,
    blocked: new Uint8Array(4),
    names: ['p0', 'p1', 'p2', 'p3', 'publisher'],
    publisher: 4,
  })
  const claim = (sender: number, claimer: Claimer, tasks: number[], at: number): void => {
    const rank = claimer.rank ?? 0
    const facts: ClaimFacts = {
      identity: claimer.identity,
      established: claimer.established,
      rank,
      newcomerHolds: claimer.established ? [] : tasks.slice(0, Math.max(0, NEWCOMER_CLAIM_TASKS - rank)),
    }
    log.append(
      CLAIM,
      sender,
      at,
      at + 24 * 3_600_000,
      -1,
      tasks,
      (id) => envelope(id, `k${claimer.identity}`),
      facts,
    )
  }
  const result = (sender: number, signer: string, task: number, at: number): void => {
    log.append(RESULT, sender, at, NaN, task, [task], (id) => ({
      id: `m${id}`,
      signer,
      message: {
        type: 'Result',
        v: 1,
        jobId: 'job',
        task,
        outputHash: 'true',
        output: 'true',
        runtime: 'sim',
        durationMs: 1,
      },
    }))
  }
  const needed = (task: number, now: number): number => viewer.look(LOOKER, task, now, false).needed
  return { claim, result, needed }
}

function envelope(id: number, signer: string) {
  return {
    id: `m${id}`,
    signer,
    message: { type: 'Claim', v: 1, jobId: 'job', tasks: [0], leaseEnd: 0 } as never,
  }
}

test("a newcomer's claim holds its first few tasks of the job; an established claimer's holds them all", (t) => {
  const tasks = Array.from({ length: NEWCOMER_CLAIM_TASKS + 2 }, (_, i) => i)
  const fresh = setup()
  fresh.claim(1, { identity: 1, established: false }, tasks, 0)
  t.deepEqual(
    tasks.map((task) => fresh.needed(task, SETTLE)),
    tasks.map((task) => (task < NEWCOMER_CLAIM_TASKS ? 1 : 2)),
  )
  // Its ranks go on from the tasks it claimed before.
  const later = setup()
  later.claim(1, { identity: 1, established: false, rank: NEWCOMER_CLAIM_TASKS - 1 }, [5, 6], 0)
  t.deepEqual([later.needed(5, SETTLE), later.needed(6, SETTLE)], [1, 2])
  const known = setup()
  known.claim(1, { identity: 1, established: true, rank: 50 }, tasks, 0)
  t.true(tasks.every((task) => known.needed(task, SETTLE) === 1))
})

test('claims are counted per signing identity, not per sender: two fresh keys of one peer are two claimers', (t) => {
  const keys = setup()
  keys.claim(1, { identity: 100, established: false }, [0], 0)
  keys.claim(1, { identity: 101, established: false }, [0], 10)
  t.is(keys.needed(0, SETTLE), 0)
  const one = setup()
  one.claim(1, { identity: 1, established: false }, [0], 0)
  one.claim(1, { identity: 1, established: false }, [0], 10)
  t.is(one.needed(0, SETTLE), 1)
})

test('no set of claims holds a task past one lease from the start of its hold, whatever keys sign them', (t) => {
  const view = setup()
  view.claim(1, { identity: 100, established: false }, [0], 0)
  view.claim(1, { identity: 101, established: true }, [0], LEASE / 2)
  view.claim(2, { identity: 102, established: false }, [0], LEASE - 5000)
  t.is(view.needed(0, LEASE / 2 + SETTLE), 0)
  // The first claim was heard within a latency of 0: past a lease and that latency, nothing holds,
  // though each later claim alone would hold until its own arrival plus a lease.
  t.is(view.needed(0, LEASE + SETTLE), 2)
})

test("a result by a signer with standing ends the hold: the next claim starts a new one; a stranger's result does not", (t) => {
  const standing = (signer: string): boolean => signer === 'known'
  for (const [signer, after] of [
    ['known', 0],
    ['stranger', 1],
  ] as const) {
    const view = setup({ hasStanding: standing })
    view.claim(1, { identity: 100, established: false }, [0], 0)
    view.result(2, signer, 0, LEASE / 2)
    view.claim(3, { identity: 101, established: false }, [0], LEASE / 2 + SETTLE)
    // One result, and the second claim still holds only if the result started a new hold.
    t.is(view.needed(0, LEASE + SETTLE), after, signer)
  }
})
