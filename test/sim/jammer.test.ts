import test from 'ava'
import { runSimulation } from '@p2pc/sim'
import type { SimulationOptions } from '@p2pc/sim'

const LEASE = 60_000
const SMALL: SimulationOptions = { peers: 40, tasks: 400, quorum: 2, leaseMs: LEASE }

// The bound: each of a task's two replicas may be kept waiting one full lease by claims from fresh
// keys (a hold lasts at most a lease from its first claim, and only a result by a signer with
// standing starts a new one), so a jammed job takes at most two leases longer than an honest one.
// With the claims of old, which held a task for a lease from each fresh key's first claim, the
// same jammers keep the last tasks held for ever and the job never completes. Sim time is
// deterministic: this is a property of the seed's run, not a timing.
for (const seed of [1, 2, 3]) {
  test(`seed ${seed}, 20% jammers signing every claim with a fresh key: every task validated right, within two leases of the honest run`, (t) => {
    const honest = runSimulation({ ...SMALL, seed })
    const jammed = runSimulation({ ...SMALL, seed, cheaters: 0.2, behaviour: 'jammer' })
    t.is(jammed.validated, 400)
    t.is(jammed.failed, 0)
    t.is(jammed.wrongAccepted, 0)
    t.false(jammed.timedOut)
    t.true(jammed.readersAgree)
    t.true(
      jammed.simTimeMs <= honest.simTimeMs + 2 * LEASE,
      `jammed ${jammed.simTimeMs} ms, honest ${honest.simTimeMs} ms`,
    )
    // The jammers did jam: two claims under fresh keys per burst, every 25 s or so, from the start.
    const jammer = jammed.behaviours.jammer!
    t.is(jammer.peers, 8)
    t.true(jammed.messages.junk >= 2 * jammer.peers * Math.floor(jammed.simTimeMs / 37_500))
    t.true(jammed.simTimeMs > honest.simTimeMs)
    t.is(jammer.resultsSent, 0)
    t.is(jammer.valid, 0)
    t.is(jammer.creditMs, 0)
    t.is(jammed.behaviours.honest!.blocked, 0)
  })
}
