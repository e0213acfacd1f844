/**
 * The worker side of `evaluate` (see evaluate.ts): calls a loaded workload's functions inside
 * the worker thread that runs its tasks.
 */
import type { Workload } from '@p2pc/sdk'
import type { EvaluateCall, WorkloadDescription } from './evaluate.ts'
import type { WorkloadSchemas } from './workload-schemas.ts'

/** The compiled schemas of this thread's workload: a thread runs one bundle only. */
let compiled: Promise<WorkloadSchemas> | undefined

/** This thread's workload's schemas, compiled on first use: ajv is loaded only by threads that need it. */
export function schemasOf(workload: Workload): Promise<WorkloadSchemas> {
  compiled ??= import('./workload-schemas.ts').then(({ compileWorkloadSchemas }) =>
    compileWorkloadSchemas(workload),
  )
  return compiled
}

export async function evaluateWorkload(workload: Workload, call: EvaluateCall): Promise<unknown> {
  switch (call.fn) {
    case 'describe':
      return describe(workload)
    case 'equals':
      return call.pairs.map(([a, b]) => {
        if (workload.equals === undefined) return jsonEqual(a, b)
        try {
          return workload.equals(a, b) === true
        } catch {
          return false
        }
      })
    case 'reduce':
      return workload.reduce(call.results, call.params, call.failed ?? [])
    case 'checkOutputs': {
      const schemas = await schemasOf(workload)
      return call.outputs.map((output, index) => {
        try {
          schemas.output(output, index)
          return true
        } catch (err) {
          if ((err as Error | null)?.name === 'SchemaMismatchError') return false
          throw err
        }
      })
    }
  }
}

function describe(workload: Workload): WorkloadDescription {
  const schemas: WorkloadDescription['schemas'] = {}
  for (const name of ['params', 'input', 'output'] as const) {
    if (workload[name] !== undefined) schemas[name] = workload[name]
  }
  const { name } = workload as { name?: unknown }
  const description: WorkloadDescription = { schemas, hasEquals: typeof workload.equals === 'function' }
  if (typeof name === 'string') description.name = name
  try {
    // Cloned here, so that a schema holding a function fails with a sentence, not in postMessage.
    return structuredClone(description)
  } catch (err) {
    throw new TypeError(`the workload's schemas are not plain data: ${(err as Error).message}`, {
      cause: err,
    })
  }
}

/** Structural equality of JSON values: what equal canonical encodings mean for them. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]))
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
  )
}
