import type { TaskContext, TaskResult, Workload } from './types.ts'

/** Options of {@link runInline}. */
export interface RunInlineOptions {
  /** Stops between tasks and is handed to each task's context. */
  signal?: AbortSignal
}

/**
 * Runs a workload in the calling thread, plan → run → reduce, with an in-memory context:
 * a test helper for workload authors. It checks no schema and uses no pool; `p2pc run-local`
 * is the real execution path.
 */
export async function runInline<Params, Input, Output, Aggregate>(
  workload: Workload<Params, Input, Output, Aggregate>,
  params: Params,
  options: RunInlineOptions = {},
): Promise<{ tasks: number; aggregate: Aggregate }> {
  const signal = options.signal ?? new AbortController().signal
  const results: Array<TaskResult<Input, Output>> = []
  let index = 0
  for await (const input of workload.plan(params)) {
    signal.throwIfAborted()
    results.push({ index, input, output: await workload.run(input, memoryContext(signal)) })
    index++
  }
  return { tasks: results.length, aggregate: await workload.reduce(results, params, []) }
}

function memoryContext(signal: AbortSignal): TaskContext {
  let saved: unknown
  return {
    signal,
    progress() {},
    log() {},
    async checkpoint(state) {
      saved = structuredClone(state)
    },
    async restore<T>() {
      return saved as T | undefined
    },
  }
}
