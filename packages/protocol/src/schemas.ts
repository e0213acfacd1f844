import { Ajv } from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import {
  MAX_BATCH_INPUTS,
  MAX_BOX_LENGTH,
  MAX_BATCH_RESULTS,
  MAX_CID_LENGTH,
  MAX_CLAIM_TASKS,
  MAX_DURATION_MS,
  MAX_ERROR_LENGTH,
  MAX_LEASE_MS,
  MAX_NAME_LENGTH,
  MAX_QUORUM,
  MAX_REPLICAS,
  MAX_RUNTIME_LENGTH,
  MAX_SEAL_TASKS,
  MAX_TASK_COUNT,
  MAX_TIMESTAMP,
  MAX_VERSION_LENGTH,
  MIN_LEASE_MS,
} from './constants.ts'
import type { JobAnnounce, MessageType } from './messages.ts'

// Building blocks. Every string, number and array is bounded: these schemas face the network.

const cid = { type: 'string', minLength: 1, maxLength: MAX_CID_LENGTH, pattern: '^b[a-z2-7]+$' } as const
const taskIndex = { type: 'integer', minimum: 0, maximum: MAX_TASK_COUNT - 1 } as const
const timestamp = { type: 'integer', minimum: 0, maximum: MAX_TIMESTAMP } as const
/** An Ed25519 peer id in its usual base58btc form (identity multihash of the protobuf public key). */
const peerId = { type: 'string', pattern: '^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$' } as const
/** Any JSON value: checked for JSON-ness and depth after the schema, and by the workload's own schemas. */
const json = {} as const

function header<T extends MessageType>(type: T) {
  return { type: { const: type }, v: { const: 1 } } as const
}

/** JSON Schema of {@link JobAnnounce}. */
export const jobAnnounceSchema = {
  $id: 'p2pc/JobAnnounce/1',
  type: 'object',
  additionalProperties: false,
  required: [
    'type',
    'v',
    'publisher',
    'workload',
    'params',
    'quorum',
    'maxReplicas',
    'maxErrors',
    'leaseMs',
    'taskCount',
    'batchCount',
    'publishedAt',
    'nonce',
  ],
  properties: {
    ...header('JobAnnounce'),
    publisher: peerId,
    workload: {
      type: 'object',
      additionalProperties: false,
      required: ['cid', 'name', 'version'],
      properties: {
        cid,
        name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH },
        version: { type: 'string', minLength: 1, maxLength: MAX_VERSION_LENGTH },
      },
    },
    params: json,
    quorum: { type: 'integer', minimum: 1, maximum: MAX_QUORUM },
    maxReplicas: { type: 'integer', minimum: 1, maximum: MAX_REPLICAS },
    maxErrors: { type: 'integer', minimum: 0, maximum: MAX_REPLICAS },
    leaseMs: { type: 'integer', minimum: MIN_LEASE_MS, maximum: MAX_LEASE_MS },
    taskCount: { type: 'integer', minimum: 1, maximum: MAX_TASK_COUNT },
    verification: { enum: ['strict', 'adaptive'] },
    spotCheckRate: { type: 'number', minimum: 0, maximum: 1 },
    targetError: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    answers: { enum: ['public', 'private'] },
    answerKey: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    batchCount: { type: 'integer', minimum: 1, maximum: MAX_TASK_COUNT },
    publishedAt: timestamp,
    nonce: { type: 'string', pattern: '^[0-9a-f]{8,64}$' },
  },
} as const

/** JSON Schema of {@link TaskBatch}; "exactly one of inputs or inputsCid" is a semantic check. */
export const taskBatchSchema = {
  $id: 'p2pc/TaskBatch/1',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'v', 'jobId', 'batch', 'first'],
  properties: {
    ...header('TaskBatch'),
    jobId: cid,
    batch: taskIndex,
    first: taskIndex,
    inputs: { type: 'array', minItems: 1, maxItems: MAX_BATCH_INPUTS, items: json },
    inputsCid: cid,
  },
} as const

/** JSON Schema of {@link Claim}; uniqueness of the task indexes is a semantic check. */
export const claimSchema = {
  $id: 'p2pc/Claim/1',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'v', 'jobId', 'tasks', 'leaseEnd'],
  properties: {
    ...header('Claim'),
    jobId: cid,
    tasks: { type: 'array', minItems: 1, maxItems: MAX_CLAIM_TASKS, items: taskIndex },
    leaseEnd: timestamp,
  },
} as const

/** JSON Schema of {@link Result}; "exactly one of output or outputCid" and the hash are semantic checks. */
const runtime = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_RUNTIME_LENGTH,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._+/-]*$',
} as const
const durationMs = { type: 'integer', minimum: 0, maximum: MAX_DURATION_MS } as const
const error = { type: 'string', minLength: 1, maxLength: MAX_ERROR_LENGTH } as const
const box = { type: 'string', minLength: 1, maxLength: MAX_BOX_LENGTH, pattern: '^[A-Za-z0-9_-]+$' } as const
/** What a Result and a ResultBatch entry say of their answer (which of them: a semantic check). */
const answerBody = { outputHash: cid, output: json, outputCid: cid, error, box } as const

export const resultSchema = {
  $id: 'p2pc/Result/1',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'v', 'jobId', 'task', 'outputHash', 'runtime', 'durationMs'],
  properties: {
    ...header('Result'),
    jobId: cid,
    task: taskIndex,
    ...answerBody,
    runtime,
    durationMs,
    check: { const: true },
  },
} as const

/** JSON Schema of {@link ResultBatch}; unique tasks and each entry's output and hash are semantic checks. */
export const resultBatchSchema = {
  $id: 'p2pc/ResultBatch/1',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'v', 'jobId', 'runtime', 'results'],
  properties: {
    ...header('ResultBatch'),
    jobId: cid,
    runtime,
    check: { const: true },
    results: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_RESULTS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['task', 'outputHash', 'durationMs'],
        properties: { task: taskIndex, ...answerBody, durationMs },
      },
    },
  },
} as const

const opening = {
  type: 'object',
  additionalProperties: false,
  required: ['signer', 'outputHash', 'salt'],
  properties: { signer: peerId, outputHash: cid, salt: { type: 'string', pattern: '^[0-9a-f]{32}$' }, error },
} as const

/**
 * JSON Schema of {@link Seal}; unique tasks and signers, a seal that says something, and the
 * hashes of openings and outputs are semantic checks.
 */
export const sealSchema = {
  $id: 'p2pc/Seal/1',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'v', 'jobId', 'tasks'],
  properties: {
    ...header('Seal'),
    jobId: cid,
    tasks: {
      type: 'array',
      maxItems: MAX_SEAL_TASKS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['task', 'outputHash'],
        properties: { task: taskIndex, outputHash: cid },
      },
    },
    opened: {
      type: 'array',
      maxItems: MAX_SEAL_TASKS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['task', 'answers'],
        properties: {
          task: taskIndex,
          answers: { type: 'array', minItems: 1, maxItems: MAX_REPLICAS, items: opening },
          output: json,
        },
      },
    },
    targets: {
      type: 'array',
      maxItems: MAX_SEAL_TASKS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['task', 'target'],
        properties: { task: taskIndex, target: { type: 'integer', minimum: 1, maximum: MAX_REPLICAS } },
      },
    },
  },
} as const

/** JSON Schema of {@link Cancel}. */
export const cancelSchema = {
  $id: 'p2pc/Cancel/1',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'v', 'jobId'],
  properties: { ...header('Cancel'), jobId: cid },
} as const

/** The JSON Schema of each kind of message. */
export const messageSchemas = {
  JobAnnounce: jobAnnounceSchema,
  TaskBatch: taskBatchSchema,
  Claim: claimSchema,
  Result: resultSchema,
  ResultBatch: resultBatchSchema,
  Seal: sealSchema,
  Cancel: cancelSchema,
} as const satisfies Record<MessageType, object>

// Compiled once, at module load. Strict mode turns a schema mistake into a load-time error, not a silent hole.
const ajv = new Ajv({ strict: true, allErrors: false })

const validators = Object.fromEntries(
  Object.entries(messageSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
) as Record<MessageType, ValidateFunction>

/**
 * Runs the schema of one kind of message.
 *
 * @returns a human-readable description of the first problem, or `undefined` when the value matches
 */
export function schemaProblem(type: MessageType, value: unknown): string | undefined {
  const validate = validators[type]
  if (validate(value)) return undefined
  const error = validate.errors?.[0]
  return error === undefined ? 'does not match its schema' : describeError(error)
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath
  const params = error.params as Record<string, unknown>
  let detail = ''
  if (error.keyword === 'additionalProperties') detail = `: ${JSON.stringify(params.additionalProperty)}`
  else if (error.keyword === 'const') detail = `: ${JSON.stringify(params.allowedValue)}`
  return `${where} ${error.message ?? 'is invalid'}${detail}`
}

/** The rules of a job that its publisher chooses, as its JobAnnounce carries them. */
export type JobRules = Pick<JobAnnounce, 'quorum' | 'maxReplicas' | 'maxErrors' | 'leaseMs'>

/** The first of a job's rules that is out of its range, and that range. */
export interface JobRuleProblem {
  rule: keyof JobRules
  /** Smallest value allowed; for `maxReplicas`, the quorum if it is larger. */
  minimum: number
  maximum: number
}

const JOB_RULES = ['quorum', 'maxReplicas', 'maxErrors', 'leaseMs'] as const

const ruleValidators = JOB_RULES.map(
  (rule) => [rule, ajv.compile(jobAnnounceSchema.properties[rule])] as const,
)

/**
 * Checks a job's rules as the JobAnnounce schema and `validateMessage` would, one by one in this
 * order, so that a publisher can be told which rule is wrong, and what range it has, before anything
 * is planned or signed.
 *
 * @returns the first rule out of range, or `undefined` when all are within range
 */
export function jobRulesProblem(rules: JobRules): JobRuleProblem | undefined {
  const range = (rule: keyof JobRules): JobRuleProblem => {
    const { minimum, maximum } = jobAnnounceSchema.properties[rule]
    const atLeast = rule === 'maxReplicas' ? Math.max(minimum, rules.quorum) : minimum
    return { rule, minimum: atLeast, maximum }
  }
  for (const [rule, validate] of ruleValidators) {
    if (!validate(rules[rule])) return range(rule)
  }
  // The rule validateMessage adds to the schema's.
  if (rules.maxReplicas < rules.quorum) return range('maxReplicas')
  return undefined
}
