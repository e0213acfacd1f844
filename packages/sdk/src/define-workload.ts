import type { Workload } from './types.ts'

/**
 * Types a workload's default export. It returns its argument unchanged: a plain object
 * works just as well, so a workload package may have no dependencies at all.
 *
 * @example
 * ```ts
 * export default defineWorkload({
 *   plan: ({ n }: { n: number }) => Array.from({ length: n }, (_, i) => i),
 *   run: (i: number) => i * i,
 *   reduce: (results) => results.reduce((sum, r) => sum + r.output, 0),
 * })
 * ```
 */
export function defineWorkload<Params, Input, Output, Aggregate>(
  workload: Workload<Params, Input, Output, Aggregate>,
): Workload<Params, Input, Output, Aggregate> {
  return workload
}
