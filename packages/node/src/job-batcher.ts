import {
  MAX_BATCH_RESULTS,
  MAX_SEAL_TASKS,
  type Message,
  type OpenedTask,
  type ResultEntry,
  type Seal,
  type SealEntry,
  type TaskTarget,
} from '@p2pc/protocol'

/** Options of {@link JobBatcher}. */
export interface JobBatcherInit<Entry> {
  /** How long the first entry of a batch waits for others. */
  windowMs: number
  /** Bytes of entries in one batch at most, so its envelope stays under the size limit. */
  maxBytes: number
  /** Entries in one batch at most: the message's own bound. */
  maxEntries: number
  /** The message that carries a batch's entries. */
  toMessage(jobId: string, entries: Entry[]): Message
  /** Signs, keeps and sends one message. */
  publish(message: Message): Promise<void>
}

interface Pending<Entry> {
  entries: Entry[]
  bytes: number
  timer: NodeJS.Timeout
  sent: PromiseWithResolvers<void>
}

/**
 * Gathers a peer's entries per job for a moment and sends them as one message: with tasks of a
 * millisecond, signing, sending, verifying and storing one envelope per task cost more than the
 * tasks. Results and seals go out this way.
 */
export class JobBatcher<Entry> {
  private readonly init: JobBatcherInit<Entry>
  private readonly pending = new Map<string, Pending<Entry>>()

  constructor(init: JobBatcherInit<Entry>) {
    this.init = init
  }

  /** Adds one entry; resolves once the envelope that carries it has been sent. */
  add(jobId: string, entry: Entry, bytes: number): Promise<void> {
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
    if (batch.entries.length >= this.init.maxEntries) void this.flush(jobId)
    return promise
  }

  /** Sends every batch now. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((jobId) => this.flush(jobId)))
  }

  private async flush(jobId: string): Promise<void> {
    const batch = this.pending.get(jobId)
    if (batch === undefined) return
    this.pending.delete(jobId)
    clearTimeout(batch.timer)
    try {
      await this.init.publish(this.init.toMessage(jobId, batch.entries))
      batch.sent.resolve()
    } catch (err) {
      batch.sent.reject(err)
    }
  }
}

/** A contributor's answers: a ResultBatch, or a plain Result for a lone answer. */
export function resultBatcher(
  init: Omit<JobBatcherInit<ResultEntry>, 'maxEntries' | 'toMessage'> & { runtime: string },
): JobBatcher<ResultEntry> {
  const { runtime } = init
  return new JobBatcher<ResultEntry>({
    ...init,
    maxEntries: MAX_BATCH_RESULTS,
    toMessage: (jobId, entries) =>
      entries.length === 1
        ? ({ type: 'Result', v: 1, jobId, runtime, ...entries[0] } as Message)
        : { type: 'ResultBatch', v: 1, jobId, runtime, results: entries },
  })
}

/** What a publisher's Seal says of one task: sealed, opened, or its target raised. */
export type SealPart =
  | { kind: 'seal'; entry: SealEntry }
  | { kind: 'open'; entry: OpenedTask }
  | { kind: 'target'; entry: TaskTarget }

/**
 * A publisher's seals, openings and targets of the tasks of its jobs, many to a Seal. A task is
 * named once per list: of two openings of one task the later (it opened more) stays, and of two
 * targets the larger.
 */
export function sealBatcher(
  init: Omit<JobBatcherInit<SealPart>, 'maxEntries' | 'toMessage'>,
): JobBatcher<SealPart> {
  return new JobBatcher<SealPart>({
    ...init,
    maxEntries: MAX_SEAL_TASKS,
    toMessage: (jobId, parts) => sealOf(jobId, parts),
  })
}

function sealOf(jobId: string, parts: SealPart[]): Seal {
  const tasks = new Map<number, SealEntry>()
  const opened = new Map<number, OpenedTask>()
  const targets = new Map<number, TaskTarget>()
  for (const part of parts) {
    if (part.kind === 'seal') tasks.set(part.entry.task, part.entry)
    else if (part.kind === 'open') opened.set(part.entry.task, part.entry)
    else if (part.entry.target > (targets.get(part.entry.task)?.target ?? 0))
      targets.set(part.entry.task, part.entry)
  }
  const seal: Seal = { type: 'Seal', v: 1, jobId, tasks: [...tasks.values()] }
  if (opened.size > 0) seal.opened = [...opened.values()]
  if (targets.size > 0) seal.targets = [...targets.values()]
  return seal
}
