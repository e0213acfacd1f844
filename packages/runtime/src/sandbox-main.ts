/**
 * The sandbox process's entry. It runs under Node's permission model (see
 * sandbox-permissions.ts) with the Piscina pool inside it, and relays each task's `ctx` calls to
 * the parent, which answers them with the task's host (checkpoint store, progress, logs).
 *
 * The parent's messages come in order on one channel, and so do this process's: every `progress`
 * and `log` of a task reaches the parent before the task's outcome, so `flush` has nothing to wait for.
 */
import type { HostApi } from './host-api.ts'
import { errorData, type ChildMessage, type ParentMessage, type SandboxOutcome } from './sandbox-protocol.ts'
import { PiscinaTaskPool } from './task-pool.ts'
import type { WorkerJob } from './worker-protocol.ts'

let pool: PiscinaTaskPool | undefined
const running = new Map<number, AbortController>()
const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
let nextCall = 0
/** Time the governor kept this process stopped, which task deadlines leave out. */
let pausedMs = 0
const clock = (): number => performance.now() - pausedMs

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'init':
      pool ??= new PiscinaTaskPool(message.settings, { clock, execArgv: message.workerExecArgv })
      pool.start()
      send({ type: 'ready' })
      break
    case 'run':
      void run(message.task, message.bundle, message.job, message.notifyStart)
      break
    case 'abort':
      running.get(message.task)?.abort()
      break
    case 'resumed':
      pausedMs += message.pausedMs
      break
    case 'reply': {
      const call = calls.get(message.call)
      calls.delete(message.call)
      if (message.ok) call?.resolve(message.value)
      else call?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }))
      break
    }
  }
})

// The parent is gone: nobody is left to hear any result.
process.on('disconnect', () => process.exit(0))
// Ctrl-C in a terminal reaches the whole process group: the parent decides what it means.
process.on('SIGINT', () => {})

async function run(task: number, bundle: string, job: WorkerJob, notifyStart: boolean): Promise<void> {
  const controller = new AbortController()
  running.set(task, controller)
  const host: HostApi = {
    progress: (fraction) => send({ type: 'progress', task, fraction }),
    log: (message) => send({ type: 'log', task, message }),
    checkpoint: async (state) => {
      await call({ type: 'call', task, call: nextCall++, method: 'checkpoint', state })
    },
    restore: () => call({ type: 'call', task, call: nextCall++, method: 'restore' }),
    flush: () => {},
  }
  let outcome: SandboxOutcome
  try {
    if (pool === undefined) throw new Error('the sandbox was not initialised')
    let runMs = 0
    const output = await pool.runJob(bundle, job, host, {
      signal: controller.signal,
      onRunTime: (ms) => (runMs = ms),
      onStart: notifyStart ? () => send({ type: 'started', task }) : undefined,
    })
    outcome = { ok: true, output, runMs }
  } catch (err) {
    outcome = { ok: false, error: errorData(err) }
  } finally {
    running.delete(task)
  }
  try {
    send({ type: 'done', task, outcome })
  } catch (err) {
    send({ type: 'done', task, outcome: { ok: false, error: errorData(err) } })
  }
}

function call(message: Extract<ChildMessage, { type: 'call' }>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    calls.set(message.call, { resolve, reject })
    send(message)
  })
}

function send(message: ChildMessage): void {
  process.send?.(message)
}
