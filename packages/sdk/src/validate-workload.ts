import { InvalidWorkloadError } from './errors.ts'
import type { Workload } from './types.ts'

const REQUIRED_FUNCTIONS = ['plan', 'run', 'reduce'] as const
const OPTIONAL_FUNCTIONS = ['equals'] as const
const SCHEMAS = ['params', 'input', 'output'] as const

/**
 * Checks that a loaded entry module is a workload and returns its default export.
 *
 * @throws InvalidWorkloadError naming every problem at once, so an author fixes them in one pass
 */
export function validateWorkload(module: unknown): Workload {
  if (module == null || typeof module !== 'object') {
    throw new InvalidWorkloadError('the workload entry is not an ES module')
  }
  const workload = (module as { default?: unknown }).default
  if (workload == null || typeof workload !== 'object') {
    throw new InvalidWorkloadError(
      'the workload entry has no default export object (export default { plan, run, reduce })',
    )
  }
  const record = workload as Record<string, unknown>
  const problems: string[] = []
  const missing = REQUIRED_FUNCTIONS.filter((name) => record[name] === undefined)
  if (missing.length > 0) problems.push(`lacks ${missing.join(', ')}`)
  for (const name of [...REQUIRED_FUNCTIONS, ...OPTIONAL_FUNCTIONS]) {
    const value = record[name]
    if (value !== undefined && typeof value !== 'function') {
      problems.push(`has a ${name} that is a ${describe(value)}, not a function`)
    }
  }
  for (const name of SCHEMAS) {
    const value = record[name]
    if (value !== undefined && typeof value !== 'boolean' && !isPlainObject(value)) {
      problems.push(`has a ${name} schema that is a ${describe(value)}, not a JSON Schema object`)
    }
  }
  if (problems.length > 0) {
    throw new InvalidWorkloadError(`the workload's default export ${problems.join('; ')}`)
  }
  return workload as Workload
}

function isPlainObject(value: unknown): boolean {
  return value != null && typeof value === 'object' && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}
