import type { ResolvedOptions } from './options.ts'
import type { Random } from './random.ts'
import { ON_OFF_LIES } from './constants.ts'
import { hash32, hex64 } from './random.ts'

/** How a simulated peer behaves. */
export const BEHAVIOURS = [
  'honest',
  'wrong',
  'colluding',
  'sybil',
  'on-off',
  'copycat',
  'ghost',
  'flood',
  'jammer',
] as const

/**
 * - `honest`: computes and returns the true output.
 * - `wrong`: computes (takes as long) but returns a random wrong output, different per peer and task.
 * - `colluding`: returns the group's wrong output, the same for every colluder on a task. Like
 *   `sybil` and `on-off`, it walks the group's one order of the tasks (`placedBy`), so that the
 *   group's members pile onto the same tasks.
 * - `sybil`: one of a swarm of identities that work honestly until the publisher's spot checks
 *   make them credible (or `SYBIL_HONEST_RESULTS` results, whichever comes first), then all
 *   return the colluders' output.
 * - `on-off`: returns the colluders' output on a fixed fifth of its tasks (`ON_OFF_LIES`), and
 *   the true one on the rest: a liar that behaves most of the time.
 * - `copycat`: never computes; claims, waits to see another peer's result for the task, and
 *   republishes its output under its own signature (a claimer that never answers when nobody does).
 * - `ghost`: claims and never answers; its leases run out.
 * - `flood`: does no work and sends junk that passes signature checks: claims of many tasks
 *   with day-long leases, claims of tasks out of range, wrong results, duplicate and equivocating
 *   results, results for jobs nobody announced.
 * - `jammer`: does no work; every 25 s or so claims the open tasks, as many as a claim may
 *   name, with day-long leases, each claim signed by a fresh key (many identities, claims only).
 */
export type Behaviour = (typeof BEHAVIOURS)[number]

/** Whether a string names a behaviour. */
export function isBehaviour(value: string): value is Behaviour {
  return (BEHAVIOURS as readonly string[]).includes(value)
}

const SALT_TRUE = 0x74727565
const SALT_WRONG = 0x77726f6e
const SALT_COLLUDE = 0x636f6c6c
const SALT_JUNK = 0x6a756e6b
const SALT_ON_OFF = 0x6f6e6f66

/**
 * Task outputs, as 16 hex digits standing for a digest. The stand-in for an output's
 * hash is the output itself: readers group results by `outputHash`, so what matters is that
 * equal outputs give equal strings, and no wrong output ever equals the true one.
 */
export class Outputs {
  private readonly seed: number

  constructor(seed: number) {
    this.seed = seed
  }

  /** What every honest contributor computes for a task: a pure function of the task. */
  truth(task: number): string {
    return hex64(hash32(this.seed ^ SALT_TRUE, task, 1), hash32(this.seed ^ SALT_TRUE, task, 2))
  }

  /** A wrong output of one peer for one task. */
  wrong(peer: number, task: number): string {
    return this.unlike(
      task,
      hash32(this.seed ^ SALT_WRONG, peer, task, 1),
      hash32(this.seed ^ SALT_WRONG, peer, task, 2),
    )
  }

  /** Whether an `on-off` cheater lies on a task: the same fifth of the tasks for all of them, so that they agree. */
  liesOn(task: number): boolean {
    return hash32(this.seed ^ SALT_ON_OFF, task) / 2 ** 32 < ON_OFF_LIES
  }

  /** The colluders' common wrong output for a task. */
  collusion(task: number): string {
    return this.unlike(
      task,
      hash32(this.seed ^ SALT_COLLUDE, task, 1),
      hash32(this.seed ^ SALT_COLLUDE, task, 2),
    )
  }

  /** Junk: the `n`-th junk output of a flooder. */
  junk(peer: number, n: number, task: number): string {
    return this.unlike(
      task,
      hash32(this.seed ^ SALT_JUNK, peer, n, 1),
      hash32(this.seed ^ SALT_JUNK, peer, n, 2),
    )
  }

  /** An output from two hashes, made to differ from the task's true output. */
  private unlike(task: number, high: number, low: number): string {
    const output = hex64(high, low)
    return output === this.truth(task) ? hex64(high, low ^ 1) : output
  }
}

/**
 * For each kind of cheater in the mix, `round(fraction · peers)` peers drawn at random get its
 * behaviour; the rest are honest.
 */
export function assignBehaviours(opts: ResolvedOptions, random: Random): Behaviour[] {
  const behaviours: Behaviour[] = new Array<Behaviour>(opts.peers).fill('honest')
  const order = random.shuffle(Array.from({ length: opts.peers }, (_, i) => i))
  let next = 0
  for (const { behaviour, fraction } of opts.mix) {
    const count = Math.min(Math.round(fraction * opts.peers), opts.peers - next)
    for (let i = 0; i < count; i++) behaviours[order[next++]!] = behaviour
  }
  return behaviours
}

/** The behaviours of a group that agrees on its lies out of band. */
const GROUPED: ReadonlySet<Behaviour> = new Set(['colluding', 'sybil', 'on-off'])

/** One name that a whole group walks the tasks by. */
const GROUP_NAME = 'colluders'

/**
 * Whose rendezvous order a peer walks the tasks in: its own, or, for a member of a group that
 * agrees on its lies, the group's one order. Claims are hints anyone may sign, so a group can
 * choose its tasks: walking one order, its members pile onto the same tasks, and each task one
 * of them claims is claimed by as many of them as its quorum lets in.
 */
export function placedBy(behaviour: Behaviour, name: string): string {
  return GROUPED.has(behaviour) ? GROUP_NAME : name
}
