import { bytesEqual, encode } from '@p2pc/protocol'
import type { Workload } from '@p2pc/sdk'
import { DEFAULT_THREADS, IN_FLIGHT_PER_THREAD } from './constants.ts'
import { bundleWorkload } from './bundle.ts'
import { InvalidOptionError, NondeterministicTaskError } from './errors.ts'
import { loadWorkload } from './load-workload.ts'
import { reduceHere } from './reduce.ts'
import { createSandboxedTaskPool } from './sandbox-pool.ts'
import { createTaskPool, type TaskPool, type TaskPoolInit } from './task-pool.ts'
import { readWorkloadPackage } from './workload-package.ts'
import { compileWorkloadSchemas } from './workload-schemas.ts'

/** The identity of a bundled workload. */
export interface WorkloadInfo {
  name: string
  version: string
  cid: string
}

/** Progress of a local run, reported after planning and after each task. */
export interface RunLocalProgress {
  done: number
  total: number
}

/** Options of {@link runLocal}. */
export interface RunLocalOptions extends Pick<TaskPoolInit, 'threads' | 'taskTimeoutMs' | 'memoryMb'> {
  /** The job parameters, checked against the workload's params schema. @default {} */
  params?: unknown
  /** Folder where the bundled module is stored under its CID. */
  cacheDir: string
  /**
   * Runs the tasks in the sandbox contributors use (see {@link createSandboxedTaskPool}), so that
   * an author sees what their workload may not do. `plan` and `reduce` run in this process either way.
   * @default false
   */
  sandbox?: boolean
  signal?: AbortSignal
  /**
   * Runs every task this many times, each time in a pool of its own, and fails with a
   * NondeterministicTaskError when two runs of a task disagree. @default 1
   */
  replicas?: number
  /** Called once the workload is bundled and planned. */
  onPlanned?(info: { workload: WorkloadInfo; tasks: number; threads: number }): void
  onProgress?(progress: RunLocalProgress): void
  onLog?(task: number, message: string): void
}

/** What a local run produces; `p2pc run-local --json` prints exactly this. */
export interface RunLocalResult {
  workload: WorkloadInfo
  tasks: number
  aggregate: unknown
}

/**
 * Runs a workload package on this machine through the contributors' execution path:
 * validate, bundle, plan, run every task in the Piscina pool, reduce.
 *
 * The first task that fails stops the run: the other tasks are aborted, the pool is shut
 * down, and the task's error is thrown. A reduce that fails throws a ReduceFailedError.
 */
export async function runLocal(dir: string, options: RunLocalOptions): Promise<RunLocalResult> {
  const pkg = await readWorkloadPackage(dir)
  const bundle = await bundleWorkload(pkg, options.cacheDir)
  const workload = await loadWorkload(bundle.path)
  const schemas = compileWorkloadSchemas(workload)
  const params = schemas.params(options.params)

  const inputs: unknown[] = []
  for await (const input of workload.plan(params)) {
    options.signal?.throwIfAborted()
    schemas.input(input, inputs.length)
    inputs.push(input)
  }
  const info: WorkloadInfo = { name: pkg.name, version: pkg.version, cid: bundle.cid }
  const threads = Math.max(1, Math.min(options.threads ?? DEFAULT_THREADS, inputs.length))
  options.onPlanned?.({ workload: info, tasks: inputs.length, threads })

  const replicas = options.replicas ?? 1
  if (!Number.isSafeInteger(replicas) || replicas < 1) {
    throw new InvalidOptionError(`replicas must be a positive integer, not ${String(replicas)}`)
  }
  const poolInit = { threads, taskTimeoutMs: options.taskTimeoutMs, memoryMb: options.memoryMb }
  const progress = { done: 0, total: inputs.length * replicas }
  const runs: unknown[][] = []
  // Each replica in a pool of its own: no two runs of a task share a worker, or its module's state.
  for (let replica = 0; replica < replicas; replica++) {
    const pool =
      options.sandbox === true
        ? createSandboxedTaskPool({ ...poolInit, bundleDir: options.cacheDir })
        : createTaskPool(poolInit)
    pool.start()
    try {
      runs.push(
        await runEveryTask(
          pool,
          { path: bundle.path, key: `${bundle.cid}/${replica}` },
          inputs,
          options,
          progress,
        ),
      )
    } finally {
      await pool.stop()
    }
  }
  const outputs = runs[0]!
  for (const other of runs.slice(1)) {
    const index = outputs.findIndex((output, i) => !sameOutput(workload, output, other[i]))
    if (index >= 0) throw new NondeterministicTaskError(nondeterminism(index, outputs[index], other[index]))
  }
  const results = inputs.map((input, index) => ({ index, input, output: outputs[index] }))
  const aggregate = await reduceHere(workload, pkg.name, results, params, [])
  return { workload: info, tasks: inputs.length, aggregate }
}

/**
 * Runs every task once in `pool` and returns the outputs in task order. The first task that fails
 * stops the run: the others are aborted and its error is thrown, named by its task.
 */
async function runEveryTask(
  pool: TaskPool,
  bundle: { path: string; key: string },
  inputs: readonly unknown[],
  options: RunLocalOptions,
  progress: RunLocalProgress,
): Promise<unknown[]> {
  const stopAll = new AbortController()
  const signal =
    options.signal === undefined ? stopAll.signal : AbortSignal.any([options.signal, stopAll.signal])
  const outputs = new Array<unknown>(inputs.length)
  let next = 0
  let firstFailure: unknown
  // A few tasks in flight per thread keep every worker busy while each task's channel and
  // listeners exist only while it runs, not for the whole job at once.
  const runner = async (): Promise<void> => {
    while (next < inputs.length && !signal.aborted) {
      const index = next++
      try {
        const output = await pool.run(
          { bundle: bundle.path, input: inputs[index], checkpointKey: `${bundle.key}/${index}` },
          { signal, onLog: (message) => options.onLog?.(index, message) },
        )
        // The worker checked the output as it does on contributors: JSON, size, schema.
        outputs[index] = output
        progress.done++
        options.onProgress?.({ ...progress })
      } catch (err) {
        // The first failure is the one reported, named by its task so its author can rerun
        // that input; the aborts it causes in the other tasks are only its echo.
        if (signal.aborted) return
        if (err instanceof Error) err.message = `task ${index}: ${err.message}`
        firstFailure = err
        stopAll.abort()
      }
    }
  }
  const runners = Array.from({ length: Math.min(inputs.length, pool.threads * IN_FLIGHT_PER_THREAD) }, runner)
  await Promise.all(runners)
  options.signal?.throwIfAborted()
  if (firstFailure !== undefined) throw firstFailure
  return outputs
}

/** Whether two runs of a task agree as contributors would: by the workload's `equals`, else by canonical bytes. */
function sameOutput(workload: Workload, a: unknown, b: unknown): boolean {
  if (workload.equals !== undefined) {
    try {
      return workload.equals(a, b) === true
    } catch {
      return false
    }
  }
  return bytesEqual(encode(a), encode(b))
}

function nondeterminism(index: number, a: unknown, b: unknown): string {
  const shown = (value: unknown): string => {
    const text = JSON.stringify(value)
    return text.length > 80 ? `${text.slice(0, 79)}…` : text
  }
  return (
    `task ${index} is not a pure function of its input: two runs in separate workers gave ${shown(a)} and ${shown(b)}; ` +
    'on the swarm its results would not agree, and it would fail once --max-replicas of them disagree'
  )
}
