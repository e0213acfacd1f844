import { MAX_BATCH_RESULTS, type Message, type ResultEntry } from '@p2pc/protocol'

/** Options of {@link ResultBatcher}. */
export interface ResultBatcherInit {
  /** How long the first answer of a batch waits for others. */
  windowMs: number
  /** Encoded output bytes in one batch at most, so its envelope stays under the size limit. */
  maxBytes: number
  /** The runtime class the tasks ran on. */
  runtime: string
  /** Signs, keeps and sends one Result or ResultBatch. */
  publish(message: Message): Promise<void>
}

interface Pending {
  entries: ResultEntry[]
  bytes: number
  timer: NodeJS.Timeout
  sent: PromiseWithResolvers<void>
}

/**
 * Gathers a contributor's answers per job for a moment and sends them as one ResultBatch (a
 * lone answer as a plain Result): with tasks of a millisecond, signing, sending, verifying and
 * storing one envelope per task cost more than the tasks.
 */
export class ResultBatcher {
  private readonly init: ResultBatcherInit
  private readonly pending = new Map<string, Pending>()

  constructor(init: ResultBatcherInit) {
    this.init = init
  }

  /** Adds one answer; resolves once the envelope that carries it has been sent. */
  add(jobId: string, entry: ResultEntry, bytes: number): Promise<void> {
    let batch = this.pending.get(jobId)
    if (batch !== undefined && batch.bytes + bytes > this.init.maxBytes) {
      void this.flush(jobId)
      batch = undefined
    }
    if (batch === undefined) {
      batch = {
        entries: [],
        bytes: 0,
        timer: setTimeout(() => void this.flush(jobId), this.init.windowMs),
        sent: Promise.withResolvers<void>(),
      }
      this.pending.set(jobId, batch)
    }
    batch.entries.push(entry)
    batch.bytes += bytes
    const { promise } = batch.sent
    if (batch.entries.length >= MAX_BATCH_RESULTS) void this.flush(jobId)
    return promise
  }

  private async flush(jobId: string): Promise<void> {
    const batch = this.pending.get(jobId)
    if (batch === undefined) return
    this.pending.delete(jobId)
    clearTimeout(batch.timer)
    const { runtime } = this.init
    const [only] = batch.entries
    const message: Message =
      batch.entries.length === 1
        ? ({ type: 'Result', v: 1, jobId, runtime, ...only } as Message)
        : { type: 'ResultBatch', v: 1, jobId, runtime, results: batch.entries }
    try {
      await this.init.publish(message)
      batch.sent.resolve()
    } catch (err) {
      batch.sent.reject(err)
    }
  }
}
