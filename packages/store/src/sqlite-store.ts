import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { deserialize, serialize } from 'node:v8'
import {
  jobIdOf,
  openEnvelope,
  type Ed25519PrivateKey,
  type Message,
  type SealedEnvelope,
} from '@p2pc/protocol'
import { folderBlobStore, type BlobStore } from './blobs.ts'
import { GroupCommit } from './group-commit.ts'
import { SqliteDatastore, type PersistentDatastore } from './sqlite-datastore.ts'
import { BLOB_FOLDER, DATABASE_FILE, DEFAULT_BUSY_TIMEOUT_MS, KEY_FILE } from './constants.ts'
import { StoreNotStartedError } from './errors.ts'
import { loadOrCreateKey } from './key-file.ts'
import { busyOr } from './busy.ts'
import { addToCounters, readCounters } from './counters.ts'
import { addToCreditHistory, readCreditHistory, type CreditEntry } from './credit-history.ts'
import { openDatabase } from './database-file.ts'
import { inTransaction, writeErrorOr } from './transaction.ts'

/** Options of {@link createStore}. */
export interface StoreInit {
  /** The peer's data directory; created if missing. */
  dir: string
  /**
   * SQLite's `synchronous` setting. `full` also survives power loss; `normal` survives a killed
   * process (kill -9) but may lose the last commits on power loss. @default 'full'
   */
  synchronous?: 'full' | 'normal'
  /** The clock for `received_at` and `saved_at`. @default Date.now */
  now?: () => number
  /** How long `appendEnvelope` waits to commit more envelopes together. @default 20 */
  groupCommitMs?: number
  /** How long a write to `datastore` waits in memory to be committed with others. @default 1000 */
  datastoreFlushMs?: number
  /**
   * How long a call waits for a lock another process holds on the database before it fails
   * with a StoreBusyError. @default 5000
   */
  busyTimeoutMs?: number
}

/** A stored envelope, as the log returns it. */
export interface StoredEnvelope {
  seq: number
  id: string
  bytes: Uint8Array
  /** When this peer stored it (the store's clock). */
  receivedAt: number
}

/** A job's summary, derived from its JobAnnounce. */
export interface JobRow {
  jobId: string
  publisher: string
  workloadCid: string
  name: string
  version: string
  taskCount: number
  publishedAt: number
}

/** The persistence of one peer. */
export interface Store {
  readonly dir: string
  readonly blobs: BlobStore
  /**
   * A key/value datastore (interface-datastore) in the same database, for libp2p's records: its
   * writes are committed together about every second, and `stop()` commits what is waiting.
   */
  readonly datastore: PersistentDatastore
  start(): Promise<void>
  stop(): Promise<void>
  /**
   * Appends envelopes to the log in one transaction; an envelope already there is skipped.
   * Once this returns, the envelopes survive a crash.
   *
   * @returns how many were new
   */
  putEnvelopes(envelopes: Iterable<SealedEnvelope>): number
  /** Appends one envelope; true when it was new. */
  putEnvelope(envelope: SealedEnvelope): boolean
  /**
   * Appends one envelope in a group commit with the others appended within a few milliseconds:
   * far cheaper than `putEnvelope` for a stream of envelopes. Resolves, true when it was new,
   * once the envelope survives a crash; `stop()` commits what is waiting.
   */
  appendEnvelope(envelope: SealedEnvelope): Promise<boolean>
  /** Resolves once every envelope appended so far survives a crash. */
  committed(): Promise<void>
  hasEnvelope(id: string): boolean
  /** The ids of a job's envelopes, optionally of one message type. */
  envelopeIds(jobId: string, type?: Message['type']): string[]
  /** Envelopes of the log in the order they were stored, optionally of one job; `after` pages by seq. */
  envelopes(options?: { jobId?: string; after?: number; limit?: number }): StoredEnvelope[]
  getEnvelope(id: string): Uint8Array | undefined
  jobs(): JobRow[]
  /**
   * Deletes a job from the log in one transaction: its envelopes, its derived row and its tasks'
   * checkpoints; envelopes of it appended and not yet committed are committed first, so none
   * comes back. What the job's envelopes said is gone with them: a restarted peer never hears of
   * the job unless someone sends it again.
   *
   * @returns how many envelopes were deleted
   */
  forgetJob(jobId: string): number
  /** Drops the derived tables and derives them again from the envelope log. */
  rebuildDerived(): Promise<void>
  saveCheckpoint(key: string, state: unknown): void
  loadCheckpoint(key: string): unknown
  deleteCheckpoint(key: string): void
  /** The peer's private key, created on first use. */
  key(): Promise<Ed25519PrivateKey>
  /** This peer's counters by name (tasks done, failed…), as the last `addToCounters` left them. */
  counters(): Record<string, number>
  /** Adds to counters in one transaction; a counter not yet there starts at 0. */
  addToCounters(deltas: Record<string, number>): void
  /** This peer's credit history: what it was given per day and job, oldest day first. */
  creditHistory(): CreditEntry[]
  /** Adds credit per job to the history of `day` (`YYYY-MM-DD`, UTC), in one transaction. */
  addToCreditHistory(day: string, byJob: Record<string, number>): void
}

interface Statements {
  insertEnvelope: StatementSync
  insertJob: StatementSync
  hasEnvelope: StatementSync
  envelopeIds: StatementSync
  envelopeIdsOfType: StatementSync
  getEnvelope: StatementSync
  saveCheckpoint: StatementSync
  loadCheckpoint: StatementSync
  deleteCheckpoint: StatementSync
}

class SqliteStore implements Store {
  readonly dir: string
  readonly blobs: BlobStore
  readonly datastore: SqliteDatastore
  private readonly synchronous: 'full' | 'normal'
  private readonly busyTimeoutMs: number
  private readonly now: () => number
  private db: DatabaseSync | undefined
  private statements: Statements | undefined
  private readonly appended: GroupCommit<SealedEnvelope, boolean>

  constructor(init: StoreInit) {
    this.dir = init.dir
    this.blobs = folderBlobStore(join(init.dir, BLOB_FOLDER))
    this.synchronous = init.synchronous ?? 'full'
    this.busyTimeoutMs = init.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
    this.now = init.now ?? Date.now
    this.appended = new GroupCommit((envelopes) => this.insertAll(envelopes), init.groupCommitMs ?? 20)
    this.datastore = new SqliteDatastore({
      database: () => this.open().db,
      dir: init.dir,
      flushMs: init.datastoreFlushMs ?? 1000,
    })
  }

  async start(): Promise<void> {
    if (this.db !== undefined) return
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    const db = await openDatabase(join(this.dir, DATABASE_FILE), this.dir, {
      synchronous: this.synchronous,
      busyTimeoutMs: this.busyTimeoutMs,
    })
    this.db = db
    this.statements = prepare(db)
  }

  async stop(): Promise<void> {
    if (this.db !== undefined) {
      this.appended.flush()
      try {
        this.datastore.flush()
      } catch {
        // A full disk: the datastore holds a cache of hints (libp2p's address book), which the
        // next run learns again; the database must still be closed.
      }
    }
    const db = this.db
    this.db = undefined
    this.statements = undefined
    db?.close()
  }

  putEnvelopes(envelopes: Iterable<SealedEnvelope>): number {
    return this.insertAll(envelopes).filter(Boolean).length
  }

  putEnvelope(envelope: SealedEnvelope): boolean {
    return this.insertAll([envelope])[0]!
  }

  appendEnvelope(envelope: SealedEnvelope): Promise<boolean> {
    this.open()
    return this.appended.add(envelope)
  }

  committed(): Promise<void> {
    return this.appended.drained()
  }

  hasEnvelope(id: string): boolean {
    return this.read(({ statements }) => statements.hasEnvelope.get(id) !== undefined)
  }

  envelopeIds(jobId: string, type?: Message['type']): string[] {
    const rows = this.read(({ statements }) =>
      type === undefined ? statements.envelopeIds.all(jobId) : statements.envelopeIdsOfType.all(jobId, type),
    )
    return rows.map((row) => row.id as string)
  }

  envelopes(options: { jobId?: string; after?: number; limit?: number } = {}): StoredEnvelope[] {
    const where = options.jobId === undefined ? 'seq > ?' : 'seq > ? AND job_id = ?'
    const params: Array<string | number> = [options.after ?? 0]
    if (options.jobId !== undefined) params.push(options.jobId)
    params.push(options.limit ?? -1)
    const rows = this.read(({ db }) =>
      db
        .prepare(`SELECT seq, id, bytes, received_at FROM envelopes WHERE ${where} ORDER BY seq LIMIT ?`)
        .all(...params),
    )
    return rows.map((row) => ({
      seq: row.seq as number,
      id: row.id as string,
      bytes: row.bytes as Uint8Array,
      receivedAt: row.received_at as number,
    }))
  }

  getEnvelope(id: string): Uint8Array | undefined {
    return this.read(({ statements }) => statements.getEnvelope.get(id)?.bytes as Uint8Array | undefined)
  }

  jobs(): JobRow[] {
    const rows = this.read(({ db }) =>
      db
        .prepare(
          `SELECT job_id, publisher, workload_cid, name, version, task_count, published_at FROM jobs ORDER BY published_at, job_id`,
        )
        .all(),
    )
    return rows.map((row) => ({
      jobId: row.job_id as string,
      publisher: row.publisher as string,
      workloadCid: row.workload_cid as string,
      name: row.name as string,
      version: row.version as string,
      taskCount: row.task_count as number,
      publishedAt: row.published_at as number,
    }))
  }

  forgetJob(jobId: string): number {
    const { db } = this.open()
    this.appended.flush()
    // Blobs are not the job's alone (a bundle serves every job of its workload), and a peer fetches
    // a job's blobs only to run or read it: they stay.
    return inTransaction(db, this.dir, () => {
      const { changes } = db.prepare('DELETE FROM envelopes WHERE job_id = ?').run(jobId)
      db.prepare('DELETE FROM jobs WHERE job_id = ?').run(jobId)
      // Checkpoint keys are `<jobId>/<task>` (see the task runner).
      const prefix = `${jobId}/`
      db.prepare('DELETE FROM checkpoints WHERE substr(key, 1, ?) = ?').run(prefix.length, prefix)
      return Number(changes)
    })
  }

  async rebuildDerived(): Promise<void> {
    const { db, statements } = this.open()
    // Verify every envelope again while deriving: the log is the truth only if it is intact.
    const opened: SealedEnvelope[] = []
    const rows = this.read(() => db.prepare('SELECT bytes FROM envelopes ORDER BY seq').all())
    for (const row of rows) opened.push(await openEnvelope(row.bytes as Uint8Array))
    inTransaction(db, this.dir, () => {
      db.exec('DELETE FROM jobs')
      const update = db.prepare('UPDATE envelopes SET type = ?, job_id = ?, signer = ? WHERE id = ?')
      for (const envelope of opened) {
        update.run(envelope.message.type, jobIdOfEnvelope(envelope), envelope.signer, envelope.id)
        this.deriveJob(statements, envelope)
      }
    })
  }

  saveCheckpoint(key: string, state: unknown): void {
    // v8's structured-clone format: whatever crossed the worker boundary to get here round-trips.
    const { statements } = this.open()
    try {
      statements.saveCheckpoint.run(key, serialize(state), this.now())
    } catch (err) {
      throw writeErrorOr(err, this.dir)
    }
  }

  loadCheckpoint(key: string): unknown {
    const row = this.read(({ statements }) => statements.loadCheckpoint.get(key))
    return row === undefined ? undefined : deserialize(row.state as Uint8Array)
  }

  deleteCheckpoint(key: string): void {
    const { statements } = this.open()
    try {
      statements.deleteCheckpoint.run(key)
    } catch (err) {
      throw writeErrorOr(err, this.dir)
    }
  }

  async key(): Promise<Ed25519PrivateKey> {
    this.open()
    return loadOrCreateKey(join(this.dir, KEY_FILE))
  }

  counters(): Record<string, number> {
    return this.read(({ db }) => readCounters(db))
  }

  addToCounters(deltas: Record<string, number>): void {
    addToCounters(this.open().db, this.dir, deltas)
  }

  creditHistory(): CreditEntry[] {
    return this.read(({ db }) => readCreditHistory(db))
  }

  addToCreditHistory(day: string, byJob: Record<string, number>): void {
    addToCreditHistory(this.open().db, this.dir, day, byJob)
  }

  /** Inserts envelopes in one transaction; for each, whether it was new. */
  private insertAll(envelopes: Iterable<SealedEnvelope>): boolean[] {
    const { db, statements } = this.open()
    const receivedAt = this.now()
    return inTransaction(db, this.dir, () => {
      const added: boolean[] = []
      for (const envelope of envelopes) added.push(this.insert(statements, envelope, receivedAt))
      return added
    })
  }

  private insert(statements: Statements, envelope: SealedEnvelope, receivedAt: number): boolean {
    const { changes } = statements.insertEnvelope.run(
      envelope.id,
      envelope.bytes,
      envelope.message.type,
      jobIdOfEnvelope(envelope),
      envelope.signer,
      receivedAt,
    )
    if (changes === 0) return false
    this.deriveJob(statements, envelope)
    return true
  }

  private deriveJob(statements: Statements, envelope: SealedEnvelope): void {
    const message = envelope.message
    if (message.type !== 'JobAnnounce') return
    statements.insertJob.run(
      jobIdOfEnvelope(envelope),
      message.publisher,
      message.workload.cid,
      message.workload.name,
      message.workload.version,
      message.taskCount,
      message.publishedAt,
    )
  }

  /** Runs a read on the database; a lock held too long by another process is a StoreBusyError. */
  private read<T>(query: (open: { db: DatabaseSync; statements: Statements }) => T): T {
    const open = this.open()
    try {
      return query(open)
    } catch (err) {
      throw busyOr(err, join(this.dir, DATABASE_FILE))
    }
  }

  private open(): { db: DatabaseSync; statements: Statements } {
    if (this.db === undefined || this.statements === undefined) throw new StoreNotStartedError()
    return { db: this.db, statements: this.statements }
  }
}

/** The job an envelope belongs to: a JobAnnounce is its own job, every other message names one. */
function jobIdOfEnvelope(envelope: SealedEnvelope): string {
  const message = envelope.message
  return message.type === 'JobAnnounce' ? jobIdOf(message) : message.jobId
}

function prepare(db: DatabaseSync): Statements {
  return {
    insertEnvelope: db.prepare(
      'INSERT OR IGNORE INTO envelopes (id, bytes, type, job_id, signer, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertJob: db.prepare(
      'INSERT OR IGNORE INTO jobs (job_id, publisher, workload_cid, name, version, task_count, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    hasEnvelope: db.prepare('SELECT 1 FROM envelopes WHERE id = ?'),
    envelopeIds: db.prepare('SELECT id FROM envelopes WHERE job_id = ? ORDER BY seq'),
    envelopeIdsOfType: db.prepare('SELECT id FROM envelopes WHERE job_id = ? AND type = ? ORDER BY seq'),
    getEnvelope: db.prepare('SELECT bytes FROM envelopes WHERE id = ?'),
    saveCheckpoint: db.prepare(
      'INSERT INTO checkpoints (key, state, saved_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at',
    ),
    loadCheckpoint: db.prepare('SELECT state FROM checkpoints WHERE key = ?'),
    deleteCheckpoint: db.prepare('DELETE FROM checkpoints WHERE key = ?'),
  }
}

/**
 * Creates the store of a data directory. Call `start()` before use.
 *
 * @example
 * ```ts
 * const store = createStore({ dir: dataDir })
 * await store.start()
 * store.putEnvelope(await sealEnvelope(message, await store.key()))
 * await store.stop()
 * ```
 */
export function createStore(init: StoreInit): Store {
  return new SqliteStore(init)
}
