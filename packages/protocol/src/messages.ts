import type { Json } from './json.ts'

/** The kinds of message, as carried in each payload's `type`. */
export const MESSAGE_TYPES = [
  'JobAnnounce',
  'TaskBatch',
  'Claim',
  'Result',
  'ResultBatch',
  'Seal',
  'Cancel',
] as const

/** One of {@link MESSAGE_TYPES}. */
export type MessageType = (typeof MESSAGE_TYPES)[number]

/** The workload package a job runs, identified by the CID of its bundle. */
export interface WorkloadRef {
  /** CID (raw codec) of the bundled entry module. */
  cid: string
  /** Package name, at most 200 characters. */
  name: string
  /** Package version, at most 64 characters. */
  version: string
}

/**
 * Announces a job on the market topic. Its id is the CID of its canonical
 * encoding (see `jobIdOf`); `publisher` must be the signer's peer id, so the id
 * commits to who published the job and nobody else can announce "the same" job.
 */
export interface JobAnnounce {
  type: 'JobAnnounce'
  v: 1
  /** Peer id of the publisher: must equal the envelope's signer. */
  publisher: string
  workload: WorkloadRef
  /** Workload parameters, checked by the workload's own schema, not here. */
  params: Json
  /** Distinct agreeing results that validate a task, 1..64. */
  quorum: number
  /** Most results a task may collect (BOINC's max_total_results), quorum..128. */
  maxReplicas: number
  /** Wrong or failed results after which a task fails, 0..128. */
  maxErrors: number
  /** How long a claim holds a task, 1 s .. 1 day, in milliseconds. */
  leaseMs: number
  /** Number of tasks, 1..2^32. */
  taskCount: number
  /** Number of task batches, 1..taskCount. */
  batchCount: number
  /** Publication time, milliseconds since the epoch. */
  publishedAt: number
  /** 8 to 64 lowercase hex digits, so that republishing an identical job gives a new id. */
  nonce: string
  /**
   * How tasks are verified (see docs/ARCHITECTURE.md, "Verification"):
   * - `strict`, the default: every task needs `quorum` agreeing signers;
   * - `adaptive`: a signer with a clean record of the publisher's spot checks validates a task
   *   alone, unless someone with standing disagrees.
   */
  verification?: Verification
  /**
   * Fraction of the tasks, 0..1, that the publisher computes itself as spot checks, published
   * once each is settled (see `ResultBase.check`). Which tasks is its secret; how many is public,
   * so that readers can estimate the job's error rate. @default 0
   */
  spotCheckRate?: number
  /**
   * The error rate the publisher aims at: the share of tasks its verification may accept with a
   * wrong output. Readers judge it against the bound the spot checks give (`errorRateBound` in
   * `@p2pc/market`); nothing else depends on it.
   */
  targetError?: number
  /**
   * Who may read an answer before its task is settled (see docs/ARCHITECTURE.md, "Copycats"):
   * - `public`, the default: every Result carries its output (or error) for all to read;
   * - `private`: every Result carries only a commitment to its answer, as its `outputHash`, and
   *   the answer encrypted to the publisher, as `box`. Nobody else can copy it. The publisher's
   *   Seal opens the answers it counted once the task is settled, and readers tally those.
   */
  answers?: AnswerVisibility
  /**
   * With private answers, and only then: the job's answer key, base64url of an X25519 public key,
   * to which every answer is encrypted (`boxAnswer`). Its private half is the publisher's.
   */
  answerKey?: string
}

/** The ways a job's tasks may be verified; see {@link JobAnnounce.verification}. */
export type Verification = 'strict' | 'adaptive'

/** Who may read answers before their task is settled; see {@link JobAnnounce.answers}. */
export type AnswerVisibility = 'public' | 'private'

/** Fields every task batch has. */
export interface TaskBatchBase {
  type: 'TaskBatch'
  v: 1
  /** Id of the job (CID string of its announce). */
  jobId: string
  /** Index of this batch, below the job's batchCount. */
  batch: number
  /** Index of the first task in this batch. */
  first: number
}

/**
 * A batch of task inputs: task `first + i` gets input `i`. Small batches carry
 * their inputs inline; big ones carry the CID (dag-cbor codec) of the encoded
 * input array, fetched with the fetch protocol.
 */
export type TaskBatch = TaskBatchBase &
  ({ inputs: Json[]; inputsCid?: never } | { inputsCid: string; inputs?: never })

/** A hint on the job topic that the signer is working on some tasks until `leaseEnd`. */
export interface Claim {
  type: 'Claim'
  v: 1
  jobId: string
  /** Task indexes, 1..256 of them, no duplicates. */
  tasks: number[]
  /** End of the lease, milliseconds since the epoch. */
  leaseEnd: number
}

/** Fields every result has. */
export interface ResultBase {
  type: 'Result'
  v: 1
  jobId: string
  /** Index of the task answered. */
  task: number
  /**
   * CID string (dag-cbor codec) of the canonical encoding of the output: what readers compare.
   * In a job with private answers, the answer's commitment instead (`commitmentOf`).
   */
  outputHash: string
  /** Runtime class the task ran on, such as `node-24/x64`. */
  runtime: string
  /** How long the task ran, in milliseconds. */
  durationMs: number
  /**
   * A spot check: the job's publisher computed this task itself and holds its answer as the
   * truth. It counts only when the publisher signed it (see docs/ARCHITECTURE.md, "Verification").
   */
  check?: true
}

/**
 * What an answer carries: exactly one of an inline output, an output by CID, an error, or (in a
 * job with private answers) a box.
 *
 * - Small outputs travel inline; big ones by `outputCid`, which is the CID of the output's
 *   canonical encoding and so must equal `outputHash`.
 * - `error` says the task failed on the signer, deterministically: its `run` threw, or its output
 *   broke the rules (not JSON, too big, rejected by the output schema). Its `outputHash` is the
 *   failure's hash (`failureHashOf`), so that peers failing the same way agree like outputs do.
 *   A failure of the signer's own machine (a timeout, memory, a crash) is never published.
 * - `box` is a private answer, readable by the job's publisher only: base64url of the answer
 *   (its output or error, with the commitment's salt) encrypted to the publisher's key. Its
 *   `outputHash` is the commitment `commitmentOf(hash, signer, salt)` to the answer's hash.
 */
export type AnswerBody =
  | { output: Json; outputCid?: never; error?: never; box?: never }
  | { outputCid: string; output?: never; error?: never; box?: never }
  | { error: string; output?: never; outputCid?: never; box?: never }
  | { box: string; output?: never; outputCid?: never; error?: never }

/** The signer's answer to one task: see {@link AnswerBody}. */
export type Result = ResultBase & AnswerBody

/** One task's answer in a {@link ResultBatch}: a Result without the fields the batch holds once. */
export type ResultEntry = Pick<ResultBase, 'task' | 'outputHash' | 'durationMs'> & AnswerBody

/**
 * The signer's answers to several tasks of one job, in one envelope: for short tasks, one
 * signature, one message and one verification for many results. Each entry means exactly what
 * a Result with the same fields would.
 */
export interface ResultBatch {
  type: 'ResultBatch'
  v: 1
  jobId: string
  /** Runtime class the tasks ran on, such as `node-24/x64`. */
  runtime: string
  /** Every entry is a spot check, as {@link ResultBase.check} says. */
  check?: true
  /** At least one, at most {@link MAX_BATCH_RESULTS}, each task at most once. */
  results: ResultEntry[]
}

/** One sealed task: the output hash its validating class agreed on. */
export interface SealEntry {
  task: number
  outputHash: string
}

/**
 * The opening of one private answer: what its commitment hides. It opens the answer of `signer`
 * to the task when `commitmentOf(outputHash, signer, salt)` is that answer's `outputHash`.
 */
export interface Opening {
  signer: string
  /** The answer's own hash: its output's, or its error's failure hash. */
  outputHash: string
  /** The commitment's salt: 32 lowercase hex digits. */
  salt: string
  /** The error, when the answer is a failure (its failure hash is `outputHash`). */
  error?: string
}

/**
 * The private answers of one task that the publisher counted, opened once the task is settled
 * (see {@link JobAnnounce.answers}), and the output that validated it, when it did and the
 * output is small enough to travel here.
 */
export interface OpenedTask {
  task: number
  /** At least one, at most {@link MAX_REPLICAS}, each signer at most once. */
  answers: Opening[]
  /** The validating output: its hash is the `outputHash` of some of the answers. */
  output?: Json
}

/**
 * The publisher's word that a task of its job with private answers needs `target` answers: it
 * alone can read them, and so it alone sees them disagree. The largest target heard counts.
 */
export interface TaskTarget {
  task: number
  /** 1..{@link MAX_REPLICAS}. */
  target: number
}

/**
 * The publisher's word that tasks of its job are settled: each with the output hash that
 * validated it when the publisher saw it. Readers take a sealed task's outcome as final, so that
 * results which arrive later, whoever signs them, can neither overturn it nor make its valid
 * signers invalid (BOINC's canonical result, chosen once). Only the job's publisher may seal.
 * In a job with private answers it also opens the answers of settled tasks and raises the
 * target of tasks whose answers disagree.
 */
export interface Seal {
  type: 'Seal'
  v: 1
  jobId: string
  /** At most {@link MAX_SEAL_TASKS}, each task at most once; `tasks`, `opened` and `targets` are not all empty. */
  tasks: SealEntry[]
  /** At most {@link MAX_SEAL_TASKS}, each task at most once. */
  opened?: OpenedTask[]
  /** At most {@link MAX_SEAL_TASKS}, each task at most once. */
  targets?: TaskTarget[]
}

/**
 * The publisher's word that its job is over before its end: contributors stop its tasks and claim
 * no more of them, and readers report it cancelled. Only the job's publisher may cancel it; a
 * cancel by anyone else means nothing.
 */
export interface Cancel {
  type: 'Cancel'
  v: 1
  jobId: string
}

/** Any message. */
export type Message = JobAnnounce | TaskBatch | Claim | Result | ResultBatch | Seal | Cancel

/** The message of a given kind. */
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>
