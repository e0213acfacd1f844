/**
 * @packageDocumentation
 *
 * What p2pc workload authors import: the workload contract's types, `defineWorkload`,
 * a seeded random generator for `run`, `validateWorkload` and test helpers. It has no
 * dependencies and does no I/O, so it bundles into any workload.
 */

export type { JsonSchema, TaskContext, TaskResult, Workload } from './types.ts'
export type { Random, RandomState } from './random.ts'
export type { RunInlineOptions } from './run-inline.ts'
export { defineWorkload } from './define-workload.ts'
export { createRandom } from './random.ts'
export { validateWorkload } from './validate-workload.ts'
export { runInline } from './run-inline.ts'
export { InvalidSeedError, InvalidWorkloadError } from './errors.ts'
