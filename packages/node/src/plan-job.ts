import { randomBytes } from 'node:crypto'
import {
  DAG_CBOR_CODEC,
  MAX_ENVELOPE_BYTES,
  encode,
  jobIdOf,
  jobRulesProblem,
  type JobAnnounce,
  type JobRules,
  type Json,
  type TaskBatch,
  type AnswerVisibility,
  type Verification,
} from '@p2pc/protocol'
import { bundleWorkload, compileWorkloadSchemas, loadWorkload, readWorkloadPackage } from '@p2pc/runtime'
import { checksToShow } from '@p2pc/market'
import type { BlobStore } from '@p2pc/store'
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ERRORS,
  DEFAULT_MAX_REPLICAS,
  DEFAULT_QUORUM,
  DEFAULT_SPOT_CHECKS,
} from './constants.ts'
import { InvalidOptionError } from './errors.ts'

/** Job rules and batching of {@link planJob}; all optional. */
export interface PublishOptions {
  /** Distinct agreeing results that validate a task. @default 2 */
  quorum?: number
  /** Results at most per task. @default max(5, quorum) */
  maxReplicas?: number
  /** Disagreeing results a task tolerates without quorum before it fails. @default 3 */
  maxErrors?: number
  /** How long a claim holds a task. @default 10 minutes */
  leaseMs?: number
  /** Task inputs per TaskBatch. @default 100 */
  batchSize?: number
  /**
   * How tasks are verified: `strict` asks each for its quorum; `adaptive` lets a contributor that
   * passed this peer's spot checks validate a task alone (docs/ARCHITECTURE.md, "Verification").
   * @default 'adaptive': with the default spot checks, colluders are caught and honest contributors
   * with a clean record cost one run per task; `strict` is the plain quorum vote
   */
  verification?: Verification
  /**
   * Fraction of the tasks this peer computes itself as spot checks, 0 to 1: each catches whoever
   * answered it otherwise. @default 0.1 when adaptive, 0 when strict
   */
  spotChecks?: number
  /**
   * The share of tasks, above 0 and below 1, that verification may accept with a wrong output.
   * `results` says whether the spot checks show it (`errorRateBound`); without `spotChecks`, this
   * peer checks enough tasks that they can, if none errs. @default none: the bound is reported alone
   */
  targetError?: number
  /**
   * Who may read answers before their task is settled: `private` boxes them for this peer alone,
   * so that nobody can copy them (docs/ARCHITECTURE.md, "Copycats"); readers see a task's answers
   * once this peer's seal opens them, so it must be online for tasks to settle, and an output
   * carries at most 96 KiB. @default 'private': in public, anyone can re-sign an answer it saw
   */
  answers?: AnswerVisibility
}

/** A job ready to sign: its announce and batches. */
export interface PlannedJob {
  jobId: string
  announce: JobAnnounce
  batches: TaskBatch[]
  /** Path of the bundled module, for this peer's own runs and reduce. */
  bundlePath: string
}

/** The rules a job published with these options has: the options, else their defaults. */
export function jobRules(options: PublishOptions): JobRules {
  const quorum = options.quorum ?? DEFAULT_QUORUM
  return {
    quorum,
    maxReplicas: options.maxReplicas ?? Math.max(DEFAULT_MAX_REPLICAS, quorum),
    maxErrors: options.maxErrors ?? DEFAULT_MAX_ERRORS,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
  }
}

/**
 * Bundles a workload package, checks its params, plans its tasks and cuts them into batches:
 * inline while the batch's envelope stays small, else by CID in the blob store.
 *
 * @throws InvalidOptionError before any of it when a rule is out of the range a JobAnnounce allows,
 *   or the batch size is not a positive integer
 */
export async function planJob(
  dir: string,
  params: unknown,
  options: PublishOptions,
  context: {
    publisher: string
    blobs: BlobStore
    bundleDir: string
    now: number
    /** The job's answer key for private answers, from its nonce (see `answerKeysOf`). */
    answerKey?: (nonce: string) => string
  },
): Promise<PlannedJob> {
  const rules = jobRules(options)
  const problem = jobRulesProblem(rules)
  if (problem !== undefined) {
    const { rule, minimum, maximum } = problem
    throw new InvalidOptionError(
      `options.${rule} must be an integer from ${minimum}${rule === 'maxReplicas' && minimum === rules.quorum ? ' (the quorum)' : ''} to ${maximum}, not ${rules[rule]}`,
    )
  }
  const verification = options.verification ?? 'adaptive'
  if (verification !== 'strict' && verification !== 'adaptive') {
    throw new InvalidOptionError(
      `options.verification must be strict or adaptive, not ${String(verification)}`,
    )
  }
  const baseSpotChecks = options.spotChecks ?? (verification === 'adaptive' ? DEFAULT_SPOT_CHECKS : 0)
  if (typeof baseSpotChecks !== 'number' || !(baseSpotChecks >= 0 && baseSpotChecks <= 1)) {
    throw new InvalidOptionError(
      `options.spotChecks must be a fraction from 0 to 1, not ${String(baseSpotChecks)}`,
    )
  }
  const targetError = options.targetError
  if (targetError !== undefined && !(typeof targetError === 'number' && targetError > 0 && targetError < 1)) {
    throw new InvalidOptionError(
      `options.targetError must be a fraction above 0 and below 1, not ${String(targetError)}`,
    )
  }
  const answers = options.answers ?? 'private'
  if (answers !== 'public' && answers !== 'private') {
    throw new InvalidOptionError(`options.answers must be public or private, not ${String(answers)}`)
  }
  if (answers === 'private' && context.answerKey === undefined) {
    throw new InvalidOptionError('options.answers private needs a publisher that can hold an answer key')
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionError(`options.batchSize must be a positive integer, not ${batchSize}`)
  }
  const pkg = await readWorkloadPackage(dir)
  const bundle = await bundleWorkload(pkg, context.bundleDir)
  await context.blobs.put(bundle.bytes)
  const workload = await loadWorkload(bundle.path)
  const schemas = compileWorkloadSchemas(workload)
  const checkedParams = schemas.params(params) as Json
  const inputs: Json[] = []
  for await (const input of workload.plan(checkedParams)) {
    schemas.input(input, inputs.length)
    inputs.push(input as Json)
  }
  const spotChecks = spotCheckRateFor(
    baseSpotChecks,
    options.spotChecks !== undefined,
    targetError,
    inputs.length,
  )
  const nonce = randomBytes(8).toString('hex')
  const announce: JobAnnounce = {
    type: 'JobAnnounce',
    v: 1,
    publisher: context.publisher,
    workload: { cid: bundle.cid, name: pkg.name, version: pkg.version },
    params: checkedParams,
    ...rules,
    taskCount: inputs.length,
    batchCount: Math.ceil(inputs.length / batchSize),
    publishedAt: context.now,
    nonce,
    ...(verification === 'adaptive' ? { verification } : {}),
    ...(spotChecks > 0 ? { spotCheckRate: spotChecks } : {}),
    ...(targetError !== undefined ? { targetError } : {}),
    ...(answers === 'private' ? { answers, answerKey: context.answerKey!(nonce) } : {}),
  }
  const jobId = jobIdOf(announce)
  const batches: TaskBatch[] = []
  for (let batch = 0, first = 0; first < inputs.length; batch++, first += batchSize) {
    const slice = inputs.slice(first, first + batchSize)
    const inline: TaskBatch = { type: 'TaskBatch', v: 1, jobId, batch, first, inputs: slice }
    // A batch whose envelope would be large travels by CID, fetched over /p2pc/fetch.
    if (encode(inline).length <= MAX_ENVELOPE_BYTES / 2) batches.push(inline)
    else {
      const inputsCid = await context.blobs.put(encode(slice), DAG_CBOR_CODEC)
      batches.push({ type: 'TaskBatch', v: 1, jobId, batch, first, inputsCid })
    }
  }
  return { jobId, announce, batches, bundlePath: bundle.path }
}

/**
 * The spot-check rate a job announces: the one asked for, or else the default, raised where a
 * target error rate needs more checks to be shown (as many as `checksToShow`, at most all tasks).
 */
function spotCheckRateFor(
  rate: number,
  asked: boolean,
  targetError: number | undefined,
  taskCount: number,
): number {
  if (asked || targetError === undefined) return rate
  return Math.max(rate, Math.min(1, checksToShow(targetError) / taskCount))
}
