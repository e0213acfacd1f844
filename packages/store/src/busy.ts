import type { DatabaseSync } from 'node:sqlite'
import { setTimeout as sleep } from 'node:timers/promises'
import { StoreBusyError } from './errors.ts'

/** SQLite's primary result code for a lock another connection holds; extended codes keep it in the low byte. */
const SQLITE_BUSY = 5

/** Whether `err` is SQLite's SQLITE_BUSY ("database is locked"), extended codes included. */
export function isBusy(err: unknown): boolean {
  const errcode = (err as { errcode?: unknown } | undefined)?.errcode
  return typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY
}

/**
 * The error a call on the database failed with, as a {@link StoreBusyError} naming `database`
 * when another process kept it locked past the busy timeout, so that no bare "database is
 * locked" reaches a user.
 */
export function busyOr(err: unknown, database: string): unknown {
  if (!isBusy(err)) return err
  return new StoreBusyError(
    `the database ${database} is locked by another process: try again once that process is done with it`,
    { cause: err },
  )
}

/**
 * Puts a connection's database in WAL mode, which every database the store makes is in from
 * birth; an older one made in rollback mode is converted once here.
 *
 * The conversion needs the database to itself, and SQLite does not call the busy handler when
 * two connections that both read it try to take it: one of them fails at once with SQLITE_BUSY
 * whatever the busy timeout (two `p2pc id` on a new data dir printed "database is locked" in
 * about one start of a hundred). So the mode is read first, which takes no lock beyond a read,
 * and a conversion that meets SQLITE_BUSY is tried again, with growing pauses, until `timeoutMs`
 * has passed; another process that converted it meanwhile is success too.
 *
 * @throws StoreBusyError when the database could not be had for `timeoutMs`
 */
export async function enableWal(db: DatabaseSync, database: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (let pauseMs = 5; ; pauseMs = Math.min(pauseMs * 2, 100)) {
    try {
      if (journalMode(db) === 'wal') return
      db.exec('PRAGMA journal_mode = WAL')
      if (journalMode(db) === 'wal') return
    } catch (err) {
      if (!isBusy(err) || performance.now() >= deadline) throw busyOr(err, database)
    }
    if (performance.now() >= deadline) {
      throw new StoreBusyError(
        `the database ${database} could not be put in WAL mode: another process holds it`,
      )
    }
    await sleep(pauseMs)
  }
}

function journalMode(db: DatabaseSync): string {
  const row = db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }
  return row.journal_mode.toLowerCase()
}
