/** Items waiting for one write, and the promise of that write's results. */
interface Batch<T, R> {
  items: T[]
  written: Promise<R[]>
  settle(write: () => R[]): void
}

/**
 * Collects items for a short window and writes them in one call, for group commit: every commit
 * of a `synchronous = full` SQLite database waits for the disk, and a busy peer that committed
 * each envelope on its own spent most of its time waiting. Each `add` resolves once the write
 * that holds its item has returned, that is, once the item is durable.
 */
export class GroupCommit<T, R> {
  private batch: Batch<T, R> | undefined
  private timer: NodeJS.Timeout | undefined
  private readonly write: (items: T[]) => R[]
  private readonly windowMs: number

  /**
   * @param write writes a batch and returns one result per item, in order
   * @param windowMs how long the first item of a batch waits for others
   */
  constructor(write: (items: T[]) => R[], windowMs: number) {
    this.write = write
    this.windowMs = windowMs
  }

  async add(item: T): Promise<R> {
    this.batch ??= newBatch()
    const index = this.batch.items.push(item) - 1
    this.timer ??= setTimeout(() => this.flush(), this.windowMs)
    return (await this.batch.written)[index]!
  }

  /** Resolves once everything added so far is written; rejects if that write failed. */
  async drained(): Promise<void> {
    await this.batch?.written
  }

  /** Writes what is waiting now. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.batch
    this.batch = undefined
    batch?.settle(() => this.write(batch.items))
  }
}

function newBatch<T, R>(): Batch<T, R> {
  const { promise, resolve, reject } = Promise.withResolvers<R[]>()
  // A failed write is reported to every add and drained that waits on it; none left unheard.
  promise.catch(() => {})
  return {
    items: [],
    written: promise,
    settle(write) {
      try {
        resolve(write())
      } catch (err) {
        reject(err)
      }
    },
  }
}
