/**
 * The sandbox process's entry. It runs under Node's permission model (see
 * sandbox-permissions.ts) with the Piscina pool inside it, and relays each task's `ctx` calls to
 * the parent, which answers them with the task's host (checkpoint store, progress, logs).
 *
 * The parent's messages come in order on one channel, and so do this process's: every `progress`
 * and `log` of a task reaches the parent before the task's outcome, so `flush` has nothing to wait for.
 */
import { Socket } from 'node:net'
import type { HostApi } from './host-api.ts'
import { FrameReader, FrameWriter } from './sandbox-channel.ts'
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

// Descriptor 3 is the channel to the parent (sandbox-channel.ts). Its first bytes are the key,
// read here before any worker thread exists; only this thread ever holds it.
const channel = new Socket({ fd: 3, readable: true, writable: true })
let writer: FrameWriter | undefined
// A frame that does not authenticate means workload code wrote to the channel or read from it:
// nothing this process hears any more can be believed.
const reader = new FrameReader(
  undefined,
  (data) => receive(data as ParentMessage),
  () => process.exit(1),
)
channel.on('data', (chunk: Buffer) => {
  const before = reader.frames
  reader.push(chunk)
  if (reader.frames > before) send({ type: 'ack', frames: reader.frames })
})
// The parent is gone: nobody is left to hear any result.
channel.on('close', () => process.exit(0))
channel.on('error', () => process.exit(0))

function receive(message: ParentMessage): void {
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
}
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
  writer ??= new FrameWriter(channel, reader.channelKey!)
  writer.send(message)
}
