/**
 * `evaluate`: a bundle's functions other than `run` (and what it declares), called in a worker
 * thread of the pool like a task, so that the peer never imports an untrusted bundle in its own
 * process. This file is the host side: the calls, their checks, and the checks of the answers,
 * which come from a thread where workload code ran and are believed only once checked.
 */
import type { JsonSchema } from '@p2pc/sdk'
import { InvalidOptionError, TaskFailedError } from './errors.ts'
import type { HostApi } from './host-api.ts'

/**
 * What to evaluate in a bundle:
 *
 * - `describe`: what the workload declares, as data ({@link WorkloadDescription}).
 * - `equals`: for each pair, whether the workload's `equals(a, b)` returns `true` (a throw, or
 *   anything else, is `false`). A workload without `equals` compares structurally: the same
 *   JSON value, whatever the order of object keys, which for the plain JSON values outputs
 *   are is what equal canonical encodings mean. A `boolean[]`, one per pair.
 * - `reduce`: the workload's `reduce(results, params, failed)`, the aggregate.
 * - `checkOutputs`: for each output, whether the workload's output schema accepts it (all
 *   `true` without one). A `boolean[]`; a schema that does not compile fails the call.
 */
export type EvaluateCall =
  | { fn: 'describe' }
  | { fn: 'equals'; pairs: Array<[unknown, unknown]> }
  | {
      fn: 'reduce'
      results: Array<{ index: number; input: unknown; output: unknown }>
      params: unknown
      /** The job's failed tasks, as `reduce` takes them. @default [] */
      failed?: Array<{ index: number; input: unknown; reason: string }>
    }
  | { fn: 'checkOutputs'; outputs: unknown[] }

/** Options of `TaskPool.evaluate`. */
export interface EvaluateOptions {
  signal?: AbortSignal
}

/** What `describe` returns: plain data, no functions. */
export interface WorkloadDescription {
  /** The JSON Schemas the workload declares. */
  schemas: { params?: JsonSchema; input?: JsonSchema; output?: JsonSchema }
  /** Whether it has its own `equals`. */
  hasEquals: boolean
  /** The `name` its default export declares, if it is a string. */
  name?: string
}

const SCHEMA_NAMES = ['params', 'input', 'output'] as const

/** How deep a schema described may nest, as deep as a message's JSON may. */
const MAX_SCHEMA_DEPTH = 64

/** The host of an evaluation: it has no `ctx`, so whatever asks for one gets nothing. */
export const NO_HOST: HostApi = {
  progress: () => {},
  log: () => {},
  checkpoint: async () => {},
  restore: async () => undefined,
  flush: () => {},
}

/**
 * Checks a call at the boundary.
 *
 * @throws InvalidOptionError naming what is wrong
 */
export function checkEvaluateCall(call: EvaluateCall): void {
  const fn = (call as { fn?: unknown } | null)?.fn
  switch (fn) {
    case 'describe':
      return
    case 'equals': {
      const { pairs } = call as { pairs?: unknown }
      if (!Array.isArray(pairs) || !pairs.every((pair) => Array.isArray(pair) && pair.length === 2)) {
        throw new InvalidOptionError('call.pairs must be an array of [a, b] pairs')
      }
      return
    }
    case 'reduce': {
      const { results } = call as { results?: unknown }
      const isResult = (result: unknown): boolean =>
        result !== null &&
        typeof result === 'object' &&
        Number.isSafeInteger((result as { index?: unknown }).index)
      if (!Array.isArray(results) || !results.every(isResult)) {
        throw new InvalidOptionError('call.results must be an array of { index, input, output }')
      }
      return
    }
    case 'checkOutputs':
      if (!Array.isArray((call as { outputs?: unknown }).outputs)) {
        throw new InvalidOptionError('call.outputs must be an array')
      }
      return
    default:
      throw new InvalidOptionError(
        `call.fn must be describe, equals, reduce or checkOutputs, not ${String(fn)}`,
      )
  }
}

/**
 * Checks the answer to a call, as it came from the worker, and returns it.
 *
 * @throws TaskFailedError (causeName 'MalformedAnswer') when it is not what the call returns
 */
export function checkEvaluation(call: EvaluateCall, value: unknown): unknown {
  switch (call.fn) {
    case 'describe':
      return description(value)
    case 'equals':
      return booleans(value, call.pairs.length, call.fn)
    case 'checkOutputs':
      return booleans(value, call.outputs.length, call.fn)
    case 'reduce':
      return value
  }
}

function description(value: unknown): WorkloadDescription {
  const data = value as { schemas?: unknown; hasEquals?: unknown; name?: unknown } | null
  if (data === null || typeof data !== 'object') throw malformed('describe', 'not an object')
  if (typeof data.hasEquals !== 'boolean') throw malformed('describe', 'hasEquals is not a boolean')
  if (data.name !== undefined && typeof data.name !== 'string')
    throw malformed('describe', 'name is not a string')
  const given = data.schemas as Record<string, unknown> | null
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw malformed('describe', 'schemas is not an object')
  }
  const schemas: WorkloadDescription['schemas'] = {}
  for (const name of SCHEMA_NAMES) {
    const schema = given[name]
    if (schema === undefined) continue
    const problem =
      typeof schema === 'boolean' || (schema !== null && typeof schema === 'object' && !Array.isArray(schema))
        ? jsonProblem(schema, `/schemas/${name}`, MAX_SCHEMA_DEPTH)
        : `/schemas/${name} is not a JSON Schema`
    if (problem !== undefined) throw malformed('describe', problem)
    schemas[name] = schema as JsonSchema
  }
  return { schemas, hasEquals: data.hasEquals, ...(data.name === undefined ? {} : { name: data.name }) }
}

/**
 * The first part of a value that is not plain JSON, or undefined. Not @p2pc/protocol's
 * findNonJson: the sandbox process loads this file, and reads only what it needs.
 */
function jsonProblem(value: unknown, path: string, depthLeft: number): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is not a finite number`
  if (typeof value !== 'object') return `${path} is a ${typeof value}`
  if (depthLeft <= 0) return `${path} is nested too deeply`
  const proto: unknown = Object.getPrototypeOf(value)
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null)
    return `${path} is not a plain object`
  for (const [key, item] of Object.entries(value)) {
    const problem = jsonProblem(item, `${path}/${key}`, depthLeft - 1)
    if (problem !== undefined) return problem
  }
  return undefined
}

function booleans(value: unknown, length: number, fn: string): boolean[] {
  if (!Array.isArray(value) || value.length !== length || !value.every((item) => typeof item === 'boolean')) {
    throw malformed(fn, `not ${length} booleans`)
  }
  return value
}

function malformed(fn: string, problem: string): TaskFailedError {
  return new TaskFailedError(`the answer to ${fn} is malformed: ${problem}`, 'MalformedAnswer')
}
