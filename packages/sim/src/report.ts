import type { Market } from '@p2pc/market'
import type { Behaviour, Outputs } from './behaviours.ts'
import type { ResolvedOptions } from './options.ts'
import type { Traffic } from './world.ts'

/** What one kind of peer did and got, as the publisher's market sees it at the end. */
export interface BehaviourStats {
  peers: number
  /** Results sent (flooders' junk included). */
  resultsSent: number
  /** Results in the winning class of a validated task. */
  valid: number
  /** Results outside the winning class of a validated task. */
  invalid: number
  /** Peers of this kind that the market blocks at the end, or that the publisher's spot checks caught. */
  blocked: number
  /** Peers of this kind that the publisher's spot checks caught giving a wrong output. */
  caught: number
  /** Credit granted, in ms of computation. */
  creditMs: number
}

/** The outcome of a run. Every figure except `wallMs` is a pure function of the options. */
export interface SimulationReport {
  peers: number
  tasks: number
  quorum: number
  maxReplicas: number
  maxErrors: number
  /** The cheaters' behaviour (the first of a mix), and how many of the peers cheat. */
  behaviour: Behaviour
  /** Each kind of cheater and its fraction of the contributors. */
  mix: Array<{ behaviour: Behaviour; fraction: number }>
  verification: 'strict' | 'adaptive'
  /** Whether answers were public or boxed for the publisher (see `SimulationOptions.answers`). */
  answers: 'public' | 'private'
  /** Fraction of the tasks the publisher checks itself. */
  spotCheckRate: number
  /** Checks the publisher sent: tasks it computed itself. */
  checksSent: number
  /** Spot checks each contributor passed before the run. */
  history: number
  cheaters: number
  loss: number
  churn: number
  seed: number
  /** Settled tasks: `validated + failed`. */
  completed: number
  validated: number
  /** Tasks that failed as nondeterministic (too many results without a quorum). */
  failed: number
  pending: number
  /** Validated tasks whose winning output is not the true one. */
  wrongAccepted: number
  /**
   * Validated tasks whose winning class has fewer than `quorum` results computed
   * by their signers: copies made up the quorum. One computed result is enough where one is
   * verification enough: the publisher's check, or a credible signer in an adaptive job (alone,
   * or under its publisher's seal where answers are private).
   */
  unverifiedAccepted: number
  /** Distinct results per settled task (one per signer, counted or not, the publisher's checks included): 2 is the least a quorum of 2 costs. */
  replicasPerTask: number
  /** Validated tasks by how they were verified (see the market's `Verified`). */
  verifiedBy: Record<'quorum' | 'single' | 'checked' | 'sealed', number>
  /** The most distinct results on one settled task: how bad the worst race was. */
  replicasMax: number
  /** Sim time at which the publisher's market had every task settled (or the run stopped). */
  simTimeMs: number
  /** Whether the run hit `maxTimeMs` with tasks still pending. */
  timedOut: boolean
  /** Wall-clock time of the run. */
  wallMs: number
  /** Whether every reader's market ended with the same validated set, outputs and signer counts. */
  readersAgree: boolean
  readers: number
  /** Contributors that left during the run, came back, joined late. */
  churned: { left: number; returned: number; joinedLate: number }
  messages: Traffic
  /** Per kind of peer: honest, and the cheaters' behaviour. */
  behaviours: Partial<Record<Behaviour, BehaviourStats>>
}

/** What the report is computed from. */
export interface ReportInput {
  options: ResolvedOptions
  publisher: Market
  jobId: string
  outputs: Outputs
  names: readonly string[]
  behaviours: readonly Behaviour[]
  resultsSent: Int32Array
  /** Distinct signers with a result for a task, counted or not (blocked signers' too): what it cost. */
  signersOf(task: number): number
  traffic: Traffic
  churned: { left: number; returned: number; joinedLate: number }
  simTimeMs: number
  timedOut: boolean
  readersAgree: boolean
  readers: number
  checksSent: number
  now: number
}

/** Reads the run's figures off the publisher's market. */
export function buildReport(input: ReportInput): Omit<SimulationReport, 'wallMs'> {
  const { options, publisher, jobId, outputs, names, behaviours } = input
  const behaviourOf = new Map<string, Behaviour>()
  names.forEach((name, peer) => behaviourOf.set(name, behaviours[peer]!))
  let validated = 0
  let failed = 0
  let distinct = 0
  let replicasMax = 0
  let wrongAccepted = 0
  let unverifiedAccepted = 0
  const verifiedBy = { quorum: 0, single: 0, checked: 0, sealed: 0 }
  for (let task = 0; task < options.tasks; task++) {
    const tally = publisher.task(jobId, task, input.now)!.tally
    if (tally.status === 'pending') continue
    const signers = input.signersOf(task)
    distinct += signers
    replicasMax = Math.max(replicasMax, signers)
    if (tally.status === 'failed') {
      failed++
      continue
    }
    validated++
    verifiedBy[tally.verified!]++
    if (tally.outputHash !== outputs.truth(task)) wrongAccepted++
    // The publisher's own check, or one credible signer in an adaptive job, is verification enough;
    // so is a seal over such a signer's class, which is how a private job says `single`.
    const credible = (signer: string): boolean => publisher.spotChecks(jobId, signer).credible
    const alone =
      tally.verified === 'checked' ||
      tally.verified === 'single' ||
      (tally.verified === 'sealed' && options.verification === 'adaptive' && tally.valid.some(credible))
    const needs = alone ? 1 : options.quorum
    const computed = tally.valid.filter((signer) => behaviourOf.get(signer) !== 'copycat').length
    if (computed < needs) unverifiedAccepted++
  }
  const stats: Partial<Record<Behaviour, BehaviourStats>> = {}
  // This job's counts only: an established swarm's earlier jobs are not what the run earned.
  const inJob = new Map(publisher.signers(jobId).map((s) => [s.peerId, s]))
  names.forEach((name, peer) => {
    const kind = behaviours[peer]!
    const entry = (stats[kind] ??= {
      peers: 0,
      resultsSent: 0,
      valid: 0,
      invalid: 0,
      blocked: 0,
      caught: 0,
      creditMs: 0,
    })
    const signer = inJob.get(name)
    const caught = publisher.spotChecks(jobId, name).caught
    entry.peers++
    entry.resultsSent += input.resultsSent[peer]!
    entry.valid += signer?.valid ?? 0
    entry.invalid += signer?.invalid ?? 0
    entry.blocked += signer?.blocked === true || caught ? 1 : 0
    entry.caught += caught ? 1 : 0
    entry.creditMs += signer?.creditMs ?? 0
  })
  const completed = validated + failed
  return {
    peers: options.peers,
    tasks: options.tasks,
    quorum: options.quorum,
    maxReplicas: options.maxReplicas,
    maxErrors: options.maxErrors,
    behaviour: options.mix[0]!.behaviour,
    mix: options.mix.map(({ behaviour, fraction }) => ({ behaviour, fraction })),
    verification: options.verification,
    answers: options.answers,
    spotCheckRate: options.spotChecks,
    checksSent: input.checksSent,
    history: options.history,
    cheaters: behaviours.filter((b) => b !== 'honest').length,
    loss: options.loss,
    churn: options.churn,
    seed: options.seed,
    completed,
    validated,
    failed,
    pending: options.tasks - completed,
    wrongAccepted,
    unverifiedAccepted,
    replicasPerTask: completed === 0 ? 0 : round(distinct / completed, 4),
    replicasMax,
    verifiedBy,
    simTimeMs: Math.round(input.simTimeMs),
    timedOut: input.timedOut,
    readersAgree: input.readersAgree,
    readers: input.readers,
    churned: input.churned,
    messages: { ...input.traffic },
    behaviours: stats,
  }
}

/** A short human summary of a report. */
export function formatReport(report: SimulationReport): string {
  const cheaters =
    report.cheaters === 0
      ? 'all honest'
      : report.mix
          .filter((share) => share.fraction > 0)
          .map(
            (share) =>
              `${Math.round(share.fraction * report.peers)} ${share.behaviour} (${pct(share.fraction)})`,
          )
          .join(', ')
  const lines = [
    `${report.peers} peers (${cheaters}), ${report.tasks} tasks, quorum ${report.quorum}, loss ${pct(report.loss)}, churn ${pct(report.churn)}, seed ${report.seed}`,
    `verification ${report.verification}, answers ${report.answers}, spot checks ${pct(report.spotCheckRate)} (${report.checksSent} sent), history ${report.history} checks per peer`,
    `settled ${report.completed}/${report.tasks}: ${report.validated} validated, ${report.failed} failed, ${report.pending} pending${report.timedOut ? ' (timed out)' : ''}`,
    `wrong accepted ${report.wrongAccepted}, unverified accepted ${report.unverifiedAccepted}, replicas per task ${report.replicasPerTask.toFixed(3)} (at most ${report.replicasMax})`,
    `verified by quorum ${report.verifiedBy.quorum}, alone ${report.verifiedBy.single}, spot check ${report.verifiedBy.checked}, sealed ${report.verifiedBy.sealed}`,
    `readers agree: ${report.readersAgree ? 'yes' : 'NO'} (${report.readers} real markets)`,
  ]
  for (const [kind, s] of Object.entries(report.behaviours)) {
    lines.push(
      `  ${kind.padEnd(9)} ${s.peers} peers, ${s.resultsSent} results, ${s.valid} valid, ${s.invalid} invalid, ${s.blocked} blocked (${s.caught} caught), credit ${(s.creditMs / 1000).toFixed(0)} s`,
    )
  }
  lines.push(
    `sim time ${(report.simTimeMs / 1000).toFixed(1)} s, wall time ${(report.wallMs / 1000).toFixed(2)} s`,
  )
  return lines.join('\n')
}

function pct(fraction: number): string {
  return `${round(fraction * 100, 1)}%`
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
