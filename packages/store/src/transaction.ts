import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { busyOr } from './busy.ts'
import { DATABASE_FILE } from './constants.ts'
import { DiskFullError } from './errors.ts'

/** SQLite's result code for a write that found the disk full. */
const SQLITE_FULL = 13

/**
 * Runs `work` in one write transaction: commits what it did, or rolls it back and rethrows.
 *
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR,
 * SQLITE_NOMEM): a ROLLBACK after that fails with "cannot rollback - no transaction is active",
 * and thrown from here it would take the place of the error that says what went wrong.
 *
 * @param dir the data dir, whose disk a DiskFullError names and whose database a StoreBusyError does
 */
export function inTransaction<T>(db: DatabaseSync, dir: string, work: () => T): T {
  try {
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = work()
      db.exec('COMMIT')
      return result
    } catch (err) {
      // isTransaction is missing before Node 22.16; there a ROLLBACK that finds nothing to undo is let go.
      if (db.isTransaction !== false) {
        try {
          db.exec('ROLLBACK')
        } catch {
          // Rolled back by SQLite already.
        }
      }
      throw err
    }
  } catch (err) {
    throw writeErrorOr(err, dir)
  }
}

/**
 * The error a write to the database of data dir `dir` failed with, as a DiskFullError or a
 * StoreBusyError when it is one of those.
 */
export function writeErrorOr(err: unknown, dir: string): unknown {
  return busyOr(diskFullOr(err, dir), join(dir, DATABASE_FILE))
}

/**
 * The error a write failed with, as a {@link DiskFullError} when it failed for lack of space
 * (SQLITE_FULL from the database, ENOSPC or EDQUOT from a file), so that callers can wait for
 * space rather than give up.
 */
export function diskFullOr(err: unknown, dir: string): unknown {
  if (!(err instanceof Error) || err instanceof DiskFullError) return err
  const { errcode, code } = err as Error & { errcode?: unknown; code?: unknown }
  if (errcode !== SQLITE_FULL && code !== 'ENOSPC' && code !== 'EDQUOT') return err
  const reason = errcode === SQLITE_FULL ? `${err.message} (SQLITE_FULL)` : err.message
  return new DiskFullError(`the disk of ${dir} is full: ${reason}`, { cause: err })
}
