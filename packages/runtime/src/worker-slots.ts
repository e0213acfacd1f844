/**
 * The worker threads of a pool, each bound to one bundle. A thread that has run one workload
 * never runs another: whatever a task leaves in its thread (a replaced `Math.ceil`, a property
 * on `globalThis`, a patched prototype, a timer) can reach only tasks of the same bundle, never
 * another job's.
 *
 * Each thread is a Piscina pool of one thread, so deadlines, aborts, heap limits and priority
 * work as before. At most `threads` run tasks at once, and as many again may wait idle, each
 * warm for its bundle, so that a contributor running two jobs at once does not start a thread
 * whenever it goes from one to the other. A task goes to a free thread of its bundle, else to a
 * new thread while there are fewer than twice `threads`, else to the free thread that has been
 * idle longest, which is ended and replaced by a fresh one for the task's bundle. While
 * `threads` tasks run, the others wait in the order they came.
 */
import type { MessagePort } from 'node:worker_threads'
import { Piscina } from 'piscina'
import type { WorkerOutcome, WorkerTask } from './worker-protocol.ts'

/** Live threads, busy or idle, per thread that may run at once. */
const WARM_THREADS_PER_THREAD = 2

export interface WorkerSlotsInit {
  /** The worker entry. */
  filename: string
  /** Threads that may run tasks at once. */
  threads: number
  memoryMb: number
  niceIncrement: number
  /** The threads' Node.js flags; undefined means this process's. */
  execArgv: string[] | undefined
}

export interface SlotRunOptions {
  transferList: MessagePort[]
  /** Terminates the task's thread. */
  signal: AbortSignal
  /** Takes the task out of the queue if it is still waiting for a thread. */
  dequeue: AbortSignal
}

interface Slot {
  bundle: string
  pool: Piscina<WorkerTask, WorkerOutcome>
  busy: boolean
  /** The order in which slots became free: the smallest has been idle longest. */
  freedAt: number
}

interface Waiter {
  bundle: string
  /** Hands the waiter its slot, or nothing when the pool closes. */
  take(slot: Slot | undefined): void
}

export class WorkerSlots {
  private readonly init: WorkerSlotsInit
  private readonly slots: Slot[] = []
  private readonly waiting: Waiter[] = []
  /** Threads being ended: `close` waits for them. */
  private readonly retiring = new Set<Promise<void>>()
  private releases = 0
  private busy = 0
  private isClosed = false

  constructor(init: WorkerSlotsInit) {
    this.init = init
  }

  /** Whether `close` was called: the tasks that fail from now on were ended by it. */
  get closed(): boolean {
    return this.isClosed
  }

  /** Runs a task on a thread bound to its bundle, once one is free. */
  async run(task: WorkerTask, options: SlotRunOptions): Promise<WorkerOutcome> {
    const slot = await this.acquire(task.bundle, options.dequeue)
    try {
      return await slot.pool.run(task, { transferList: options.transferList, signal: options.signal })
    } catch (err) {
      // Only a thread that died or was terminated rejects (a task's own errors are outcomes):
      // Piscina would start another at once, and the next task of the bundle may never come.
      const at = this.slots.indexOf(slot)
      if (at !== -1) this.slots.splice(at, 1)
      this.retire(slot.pool)
      throw err
    } finally {
      this.release(slot)
    }
  }

  /** Ends every thread; tasks still waiting fail, running ones are terminated. */
  async close(): Promise<void> {
    this.isClosed = true
    for (const waiter of this.waiting.splice(0)) waiter.take(undefined)
    for (const slot of this.slots.splice(0)) this.retire(slot.pool)
    await Promise.all(this.retiring)
  }

  private acquire(bundle: string, dequeue: AbortSignal): Promise<Slot> {
    if (this.isClosed) return Promise.reject(closedError())
    dequeue.throwIfAborted()
    const slot = this.pick(bundle)
    if (slot !== undefined) return Promise.resolve(slot)
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiting.indexOf(waiter)
        if (at !== -1) this.waiting.splice(at, 1)
        reject(dequeue.reason)
      }
      const waiter: Waiter = {
        bundle,
        take: (taken) => {
          dequeue.removeEventListener('abort', onAbort)
          if (taken === undefined) reject(closedError())
          else resolve(taken)
        },
      }
      dequeue.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(waiter)
    })
  }

  private release(slot: Slot): void {
    slot.busy = false
    this.busy--
    slot.freedAt = ++this.releases
    const next = this.waiting[0]
    if (this.isClosed || next === undefined) return
    const taken = this.pick(next.bundle)
    if (taken === undefined) return
    this.waiting.shift()
    next.take(taken)
  }

  /** A free thread for `bundle`, marked busy, or undefined while `threads` tasks run. */
  private pick(bundle: string): Slot | undefined {
    if (this.busy >= this.init.threads) return undefined
    this.busy++
    let idlest: Slot | undefined
    for (const slot of this.slots) {
      if (slot.busy) continue
      if (slot.bundle === bundle) {
        slot.busy = true
        return slot
      }
      if (idlest === undefined || slot.freedAt < idlest.freedAt) idlest = slot
    }
    if (this.slots.length < WARM_THREADS_PER_THREAD * this.init.threads || idlest === undefined) {
      const slot: Slot = { bundle, pool: this.startThread(), busy: true, freedAt: 0 }
      this.slots.push(slot)
      return slot
    }
    // Another bundle's thread: a fresh one takes its place.
    this.retire(idlest.pool)
    idlest.pool = this.startThread()
    idlest.bundle = bundle
    idlest.busy = true
    return idlest
  }

  private startThread(): Piscina<WorkerTask, WorkerOutcome> {
    const pool = new Piscina<WorkerTask, WorkerOutcome>({
      filename: this.init.filename,
      minThreads: 1,
      maxThreads: 1,
      resourceLimits: { maxOldGenerationSizeMb: this.init.memoryMb },
      execArgv: this.init.execArgv,
      // Piscina nices each worker thread through an optional native package; where that is
      // missing, or nice() is refused, the workers run at normal priority.
      niceIncrement: this.init.niceIncrement,
    })
    // Piscina emits 'error' for a thread that fails while it runs no task, and replaces the
    // thread; an 'error' event nobody hears would end this process.
    pool.on('error', ignore)
    return pool
  }

  private retire(pool: Piscina<WorkerTask, WorkerOutcome>): void {
    const ended = pool
      .destroy()
      .catch(ignore)
      .finally(() => this.retiring.delete(ended))
    this.retiring.add(ended)
  }
}

function closedError(): Error {
  const error = new Error('the task pool is stopped')
  error.name = 'AbortError'
  return error
}

function ignore(): void {}
