/**
 * The Piscina worker entry: runs one task of a bundled workload.
 *
 * A thread runs one bundle only (see worker-slots.ts): the workload module is imported by its
 * first task and reused by the next ones, and a task of another bundle is refused. Besides
 * tasks, a thread evaluates its workload's other functions (evaluate-workload.ts). `ctx` talks
 * to the host through Comlink on the task's port, created lazily so that a task which never
 * touches `ctx` pays nothing for it.
 */
import * as Comlink from 'comlink'
import type { TaskContext, Workload } from '@p2pc/sdk'
import { isAbortRequest, type HostApi, type StartedNotice } from './host-api.ts'
import { evaluateWorkload, schemasOf } from './evaluate-workload.ts'
import { loadWorkload } from './load-workload.ts'
import { InvalidOutputError } from './errors.ts'
import type * as OutputRulesModule from './output-rules.ts'
import type { WorkerOutcome, WorkerTask } from './worker-protocol.ts'
import { withholdProcessControls } from './process-controls.ts'

// Before any workload module loads: workload code may not signal or renice other processes.
withholdProcessControls()

/** The bundle this thread runs, from its first task on, and its module once imported. */
let bound: { bundle: string; workload: Promise<Workload> | undefined } | undefined

function workloadOf(bundle: string): Promise<Workload> {
  bound ??= { bundle, workload: undefined }
  if (bound.bundle !== bundle) {
    // The pool never does this: the globals of this thread may hold what another job left.
    throw new Error(`this worker thread runs the bundle ${bound.bundle}, not ${bundle}`)
  }
  if (bound.workload === undefined) {
    const workload = loadWorkload(bundle)
    bound.workload = workload
    workload.catch(() => {
      if (bound?.workload === workload) bound.workload = undefined
    })
  }
  return bound.workload
}

export default async function runTask({
  bundle,
  job,
  port,
  notifyStart,
}: WorkerTask): Promise<WorkerOutcome> {
  const started = performance.now()
  if (notifyStart) {
    const notice: StartedNotice = { p2pcStarted: true }
    port.postMessage(notice)
  }
  const controller = new AbortController()
  port.on('message', (data: unknown) => {
    if (isAbortRequest(data)) {
      const reason = new Error(data.p2pcAbort.message)
      reason.name = data.p2pcAbort.name
      controller.abort(reason)
    }
  })
  let host: Comlink.Remote<HostApi> | undefined
  const remote = (): Comlink.Remote<HostApi> => (host ??= Comlink.wrap<HostApi>(port))
  const ctx: TaskContext = {
    signal: controller.signal,
    progress: (fraction) => void remote().progress(fraction).catch(ignore),
    log: (message) => void remote().log(String(message)).catch(ignore),
    checkpoint: async (state) => remote().checkpoint(state),
    restore: async <T>() => (await remote().restore()) as T | undefined,
  }
  try {
    const workload = await workloadOf(bundle)
    let output: unknown
    if (job.kind === 'run') {
      output = await workload.run(job.input, ctx)
      await checkOutput(workload, output)
    } else {
      output = await evaluateWorkload(workload, job.call)
    }
    // Progress and log calls are fire-and-forget: wait until the host has seen them all.
    if (host !== undefined) await host.flush()
    return { ok: true, output, runMs: performance.now() - started }
  } catch (err) {
    return { ok: false, error: describeError(err) }
  } finally {
    port.removeAllListeners('message')
  }
}

/**
 * An error as data. The permission model's refusals are named by what was refused, because
 * Node's own message tells the reader to pass a flag, which is the contributor's choice and
 * never the workload's.
 */
function describeError(err: unknown): { name: string; message: string } {
  type Described = {
    name?: unknown
    message?: unknown
    code?: unknown
    permission?: unknown
    cause?: unknown
  }
  let error = err as Described | null
  // fetch says only "fetch failed" and puts the refusal in its cause.
  const cause = error?.cause as Described | null | undefined
  if (cause?.code === 'ERR_ACCESS_DENIED') error = cause
  const name = typeof error?.name === 'string' ? error.name : 'Error'
  const message = typeof error?.message === 'string' ? error.message : String(err)
  if (error?.code === 'ERR_ACCESS_DENIED') {
    // Node 25+ names no permission on a refused socket or lookup, only the syscall and --allow-net.
    const network = /--allow-net|^(getaddrinfo|query\w*|connect|bind|send|listen)\b/.test(message)
    const what = typeof error.permission === 'string' ? error.permission : network ? 'Net' : message
    return { name, message: `the sandbox denied ${what} (ERR_ACCESS_DENIED)` }
  }
  if (error?.code === 'ERR_DLOPEN_DISABLED') {
    return { name, message: 'the sandbox denied loading a native addon (ERR_DLOPEN_DISABLED)' }
  }
  return { name, message }
}

/**
 * Refuses an output that breaks the output rules (output-rules.ts), then one the workload's own
 * schema rejects, with an InvalidOutputError whose message is the same on every machine.
 */
async function checkOutput(workload: Workload, output: unknown): Promise<void> {
  const problem = (await outputRules()).outputProblem(output)
  if (problem !== undefined) throw new InvalidOutputError(problem)
  if (workload.output === undefined) return
  try {
    ;(await schemasOf(workload)).output(output)
  } catch (err) {
    if ((err as Error | null)?.name === 'SchemaMismatchError')
      throw new InvalidOutputError((err as Error).message)
    throw err
  }
}

/** The output rules, loaded once per thread: they bring the wire format's encoder. */
type OutputRules = typeof OutputRulesModule
let rules: Promise<OutputRules> | undefined
function outputRules(): Promise<OutputRules> {
  return (rules ??= import('./output-rules.ts'))
}

function ignore(): void {}
