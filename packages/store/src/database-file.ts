import { stat } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { temporaryName, linkIntoPlace } from './atomic-write.ts'
import { busyOr, enableWal } from './busy.ts'
import { CorruptDatabaseError } from './errors.ts'
import { migrate } from './schema.ts'

/** SQLite's result codes for a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB. */
const DAMAGED = new Set([11, 26])

/** How a database is opened. */
export interface OpenOptions {
  synchronous: 'full' | 'normal'
  /** How long a connection waits for another one's lock (a write, a checkpoint, WAL recovery). */
  busyTimeoutMs: number
}

/**
 * Opens the database at `path`, creating it when there is none, and refuses a damaged one.
 *
 * A new database is made under a temporary name and linked into place with its schema, so a
 * `store.db` that exists was whole once: an empty one is damage, never a start that was cut
 * short, and it is refused like any other rather than silently made anew, which would drop
 * the log of a peer that had one. An existing database must pass `PRAGMA quick_check` first,
 * on a read-only connection, so that nothing is written to a damaged file, not even a WAL
 * checkpoint on close. quick_check reads every page and checks the b-trees, free list, cell
 * sizes and column types, without integrity_check's cross-check of every index against its
 * table: on 100,000 envelopes (85 MB) it takes 0.12 s warm and 1–1.6 s cold against 0.56 s
 * and 2 s, the cold time being mostly the reading of the file, which the replay of the log
 * needs next anyway. The log's contents are verified envelope by envelope at replay; the
 * indexes can be rebuilt.
 *
 * Every connection waits up to `busyTimeoutMs` for another process's lock; one that waits longer
 * fails with a StoreBusyError, never a bare "database is locked".
 *
 * @throws CorruptDatabaseError naming the file and what is wrong with it
 * @throws StoreBusyError when another process keeps the database locked
 */
export async function openDatabase(path: string, dir: string, options: OpenOptions): Promise<DatabaseSync> {
  const found = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
  if (found === undefined) await createDatabase(path, dir)
  else if (found.size === 0) throw damaged(path, 'it is empty')
  else check(path, options.busyTimeoutMs)
  const db = new DatabaseSync(path, { timeout: options.busyTimeoutMs })
  try {
    await enableWal(db, path, options.busyTimeoutMs)
    db.exec(`PRAGMA synchronous = ${options.synchronous}`)
    migrate(db, dir)
  } catch (err) {
    db.close()
    throw busyOr(damagedOr(err, path), path)
  }
  return db
}

/** Makes a database with its schema under a temporary name, then gives it `path` unless another process did first. */
async function createDatabase(path: string, dir: string): Promise<void> {
  const temporary = temporaryName(path)
  // Synchronous FULL, and closed: the file is whole and durable before it has its name.
  const db = new DatabaseSync(temporary)
  try {
    migrate(db, dir)
    // WAL from birth, while no other process can see the file: converting a shared database is
    // what two processes starting at once can collide on (see enableWal). Closing the only
    // connection checkpoints the WAL into the file and removes it; the mode stays in the header.
    db.exec('PRAGMA journal_mode = WAL')
  } finally {
    db.close()
  }
  await linkIntoPlace(temporary, path)
}

function check(path: string, busyTimeoutMs: number): void {
  let problems: string[]
  try {
    const db = new DatabaseSync(path, { readOnly: true, timeout: busyTimeoutMs })
    try {
      problems = db
        .prepare('PRAGMA quick_check')
        .all()
        .map((row) => String(row.quick_check))
    } finally {
      db.close()
    }
  } catch (err) {
    throw busyOr(damagedOr(err, path), path)
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw damaged(path, `quick_check: ${problems[0]?.replace(/\s+/g, ' ').trim()}`)
  }
}

function damagedOr(err: unknown, path: string): unknown {
  const errcode = (err as { errcode?: unknown }).errcode
  if (typeof errcode !== 'number' || !DAMAGED.has(errcode)) return err
  return damaged(path, (err as Error).message, err)
}

function damaged(path: string, what: string, cause?: unknown): CorruptDatabaseError {
  return new CorruptDatabaseError(
    `the database ${path} is damaged (${what}): p2pc leaves it as it is; restore it from a backup, or move it and its -wal file aside to start with an empty one`,
    { cause },
  )
}
