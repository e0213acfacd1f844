import { MAX_LEASE_MS, MAX_QUORUM, MAX_REPLICAS, MIN_LEASE_MS } from '@p2pc/protocol'
import type { AnswerVisibility, Verification } from '@p2pc/protocol'
import { BEHAVIOURS, isBehaviour } from './behaviours.ts'
import type { Behaviour } from './behaviours.ts'
import {
  DEFAULT_COST_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LATENCY_MS,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ERRORS,
  DEFAULT_MAX_TIME_MS,
  DEFAULT_OBSERVERS,
  DEFAULT_PEERS,
  DEFAULT_QUORUM,
  DEFAULT_SLOTS,
  DEFAULT_SPOT_CHECKS,
  DEFAULT_SYNC_MS,
  DEFAULT_TASKS,
  DEFAULT_TICK_MS,
} from './constants.ts'
import { InvalidSimulationOptionsError } from './errors.ts'
import type { Partition } from './network.ts'
import { MAX_WALK_TASKS } from './walk.ts'

/** Options of {@link runSimulation}; all optional. Times are in simulated milliseconds. */
export interface SimulationOptions {
  /**
   * Contributors.
   *
   * @default 200
   */
  peers?: number
  /**
   * Tasks in the job, at most 2^21.
   *
   * @default 5000
   */
  tasks?: number
  /**
   * The job's quorum.
   *
   * @default 2
   */
  quorum?: number
  /**
   * The job's maxReplicas.
   *
   * @default quorum + maxErrors
   */
  maxReplicas?: number
  /**
   * The job's maxErrors.
   *
   * @default 8
   */
  maxErrors?: number
  /**
   * Fraction of the contributors that behave as `behaviour`; the others are honest.
   *
   * @default 0
   */
  cheaters?: number
  /**
   * How the cheaters behave.
   *
   * @default 'wrong'
   */
  behaviour?: Behaviour
  /**
   * Several kinds of cheaters at once, each with its fraction of the contributors (at most 1 in
   * all); given, it takes the place of `cheaters` and `behaviour`.
   *
   * @default none
   */
  mix?: CheaterShare[]
  /**
   * The job's verification: `strict` asks every task for its quorum; `adaptive` lets a signer
   * credible with the publisher's spot checks validate a task alone.
   *
   * @default 'strict'
   */
  verification?: Verification
  /**
   * Fraction of the tasks the publisher computes itself as spot checks, sending its answer once
   * the task is settled.
   *
   * @default 0.1 when adaptive, 0 when strict
   */
  spotChecks?: number
  /**
   * Who can read an answer before its task is settled: `private` answers are boxed for the
   * publisher, which opens what it counted in its seals (see the package README), so a copycat
   * finds nothing to copy.
   *
   * @default 'public'
   */
  answers?: AnswerVisibility
  /**
   * Spot checks of this publisher's earlier jobs each contributor passed before the run: an
   * established swarm. Cheaters get the same record: they behaved until now.
   *
   * @default 0
   */
  history?: number
  /**
   * Probability that one attempt to deliver a gossip message to one peer fails. A miss is
   * repaired at the next gossip heartbeat; a second miss loses a claim for good, and
   * leaves announces, batches and results to the next anti-entropy sync.
   *
   * @default 0
   */
  loss?: number
  /**
   * Fraction of the contributors that leave during the run (half come back); half as many join late.
   *
   * @default 0
   */
  churn?: number
  /**
   * Mean one-way latency.
   *
   * @default 100
   */
  latencyMs?: number
  /**
   * Gossipsub's heartbeat, at which missed gossip is offered again.
   *
   * @default 1000
   */
  heartbeatMs?: number
  /**
   * Period of anti-entropy sync, which brings missed announces, batches and results.
   *
   * @default 15000
   */
  syncMs?: number
  /**
   * How often a contributor's market ticks: claims are made on ticks only.
   *
   * @default 250
   */
  tickMs?: number
  /**
   * The job's lease.
   *
   * @default 60000
   */
  leaseMs?: number
  /**
   * Mean task cost at speed 1 (log-normal); peer speeds spread from 0.5 to 2.
   *
   * @default 5000
   */
  costMs?: number
  /**
   * Tasks a contributor holds and runs at once (the market's `maxActiveClaims`).
   *
   * @default 4
   */
  slots?: number
  /**
   * Readers besides the publisher, each a real market.
   *
   * @default 2
   */
  observers?: number
  /**
   * Time windows in which peers in different groups do not see each other.
   *
   * @default none
   */
  partitions?: Partition[]
  /**
   * Sim time after which the run stops even with tasks pending.
   *
   * @default one week
   */
  maxTimeMs?: number
  /**
   * Seed of every random draw: the same seed gives the same report, wall time aside.
   *
   * @default 1
   */
  seed?: number
}

/** One kind of cheater in a {@link SimulationOptions.mix}. */
export interface CheaterShare {
  behaviour: Behaviour
  fraction: number
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<SimulationOptions>

/**
 * Fills in defaults and checks every option.
 *
 * @throws InvalidSimulationOptionsError naming the first bad option
 */
export function resolveOptions(options: SimulationOptions = {}): ResolvedOptions {
  const quorum = options.quorum ?? DEFAULT_QUORUM
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS
  const resolved: ResolvedOptions = {
    peers: options.peers ?? DEFAULT_PEERS,
    tasks: options.tasks ?? DEFAULT_TASKS,
    quorum,
    maxReplicas: options.maxReplicas ?? Math.min(MAX_REPLICAS, Math.max(quorum, quorum + maxErrors)),
    maxErrors,
    cheaters: options.cheaters ?? 0,
    behaviour: options.behaviour ?? 'wrong',
    mix: options.mix ?? [{ behaviour: options.behaviour ?? 'wrong', fraction: options.cheaters ?? 0 }],
    verification: options.verification ?? 'strict',
    answers: options.answers ?? 'public',
    spotChecks: options.spotChecks ?? (options.verification === 'adaptive' ? DEFAULT_SPOT_CHECKS : 0),
    history: options.history ?? 0,
    loss: options.loss ?? 0,
    churn: options.churn ?? 0,
    latencyMs: options.latencyMs ?? DEFAULT_LATENCY_MS,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    syncMs: options.syncMs ?? DEFAULT_SYNC_MS,
    tickMs: options.tickMs ?? DEFAULT_TICK_MS,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    costMs: options.costMs ?? DEFAULT_COST_MS,
    slots: options.slots ?? DEFAULT_SLOTS,
    observers: options.observers ?? DEFAULT_OBSERVERS,
    partitions: options.partitions ?? [],
    maxTimeMs: options.maxTimeMs ?? DEFAULT_MAX_TIME_MS,
    seed: options.seed ?? 1,
  }
  integer('peers', resolved.peers, 1, 1_000_000)
  integer('tasks', resolved.tasks, 1, MAX_WALK_TASKS)
  integer('quorum', resolved.quorum, 1, MAX_QUORUM)
  integer('maxReplicas', resolved.maxReplicas, resolved.quorum, MAX_REPLICAS)
  integer('maxErrors', resolved.maxErrors, 0, MAX_REPLICAS)
  fraction('cheaters', resolved.cheaters, 1)
  if (typeof resolved.behaviour !== 'string' || !isBehaviour(resolved.behaviour)) {
    fail(`options.behaviour must be one of ${BEHAVIOURS.join(', ')}`)
  }
  if (!Array.isArray(resolved.mix) || resolved.mix.length === 0) fail('options.mix must be a non-empty array')
  resolved.mix.forEach((share, i) => {
    if (typeof share !== 'object' || share === null || !isBehaviour(share.behaviour)) {
      fail(`options.mix[${i}] must name a behaviour, one of ${BEHAVIOURS.join(', ')}`)
    }
    const { fraction } = share
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      fail(`options.mix[${i}] must give a fraction from 0 to 1`)
    }
  })
  if (resolved.mix.reduce((sum, share) => sum + share.fraction, 0) > 1 + 1e-9) {
    fail('options.mix must give the cheaters at most all of the contributors')
  }
  if (resolved.verification !== 'strict' && resolved.verification !== 'adaptive') {
    fail('options.verification must be strict or adaptive')
  }
  if (resolved.answers !== 'public' && resolved.answers !== 'private') {
    fail('options.answers must be public or private')
  }
  fraction('spotChecks', resolved.spotChecks, 1)
  integer('history', resolved.history, 0, 1000)
  fraction('loss', resolved.loss, 0.99)
  fraction('churn', resolved.churn, 1)
  number('latencyMs', resolved.latencyMs, 0, MAX_LEASE_MS)
  number('heartbeatMs', resolved.heartbeatMs, 0, MAX_LEASE_MS)
  number('syncMs', resolved.syncMs, 0, MAX_LEASE_MS)
  number('tickMs', resolved.tickMs, 1, MAX_LEASE_MS)
  integer('leaseMs', resolved.leaseMs, MIN_LEASE_MS, MAX_LEASE_MS)
  number('costMs', resolved.costMs, 1, MAX_LEASE_MS)
  integer('slots', resolved.slots, 1, 256)
  integer('observers', resolved.observers, 0, 16)
  number('maxTimeMs', resolved.maxTimeMs, 1, 365 * 24 * 60 * 60 * 1000)
  integer('seed', resolved.seed, -(2 ** 31), 2 ** 32 - 1)
  if (!Array.isArray(resolved.partitions)) fail('options.partitions must be an array')
  resolved.partitions.forEach((partition, i) => {
    const name = `partitions[${i}]`
    if (typeof partition !== 'object' || partition === null) fail(`options.${name} must be an object`)
    number(`${name}.startMs`, partition.startMs, 0, Number.MAX_SAFE_INTEGER)
    number(`${name}.endMs`, partition.endMs, partition.startMs, Number.MAX_SAFE_INTEGER)
    integer(`${name}.groups`, partition.groups, 2, 1000)
  })
  return resolved
}

function fail(message: string): never {
  throw new InvalidSimulationOptionsError(message)
}

function number(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(`options.${name} must be a number from ${min} to ${max}`)
  }
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`options.${name} must be an integer from ${min} to ${max}`)
  }
}

function fraction(name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    fail(`options.${name} must be a fraction from 0 to ${max}`)
  }
}
