import { Ajv, type ValidateFunction } from 'ajv'
import { InvalidWorkloadError, type Workload } from '@p2pc/sdk'
import { SchemaMismatchError } from './errors.ts'

/** A workload's three JSON Schemas, compiled once. */
export interface WorkloadSchemas {
  /** Checks params and fills in the schema's defaults, returning the params to use. */
  params(params: unknown): unknown
  input(input: unknown, index: number): void
  /** Checks one task's output; `index` names its task in the message, when known. */
  output(output: unknown, index?: number): void
}

/**
 * Compiles a workload's `params`, `input` and `output` schemas with ajv.
 *
 * @throws InvalidWorkloadError when a schema does not compile
 */
export function compileWorkloadSchemas(workload: Workload): WorkloadSchemas {
  // Not strict: authors' schemas may carry annotations (title, examples, format…) that
  // strict mode rejects, and a workload should not fail over its documentation.
  const ajv = new Ajv({ strict: false, useDefaults: true, allErrors: false })
  const compile = (name: 'params' | 'input' | 'output'): ValidateFunction | undefined => {
    const schema = workload[name]
    if (schema === undefined) return undefined
    try {
      return ajv.compile(schema)
    } catch (err) {
      throw new InvalidWorkloadError(
        `the workload's ${name} schema does not compile: ${(err as Error).message}`,
      )
    }
  }
  const paramsCheck = compile('params')
  const inputCheck = compile('input')
  const outputCheck = compile('output')
  return {
    params(params) {
      // Defaults are filled in on a copy: the caller's value stays as it was given.
      const copy = params === undefined ? {} : structuredClone(params)
      check(paramsCheck, copy, 'params', 'the params')
      return copy
    },
    input: (input, index) => check(inputCheck, input, 'input', `the input of task ${index}`),
    output: (output, index) =>
      check(
        outputCheck,
        output,
        'output',
        index === undefined ? 'the output' : `the output of task ${index}`,
      ),
  }
}

function check(validate: ValidateFunction | undefined, value: unknown, schema: string, what: string): void {
  if (validate === undefined || validate(value)) return
  const [first] = validate.errors ?? []
  const where = first?.instancePath ? ` at ${first.instancePath}` : ''
  throw new SchemaMismatchError(
    `the workload's ${schema} schema rejects ${what}${where}: ${first?.message ?? 'no reason given'}`,
  )
}
