import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { DataDirLockError, PeerAlreadyRunningError } from './errors.ts'

/** File name of the lock inside the data dir: empty, and never written or removed. */
export const LOCK_FILE = 'peer.lock'

/** SQLite's result codes: another connection holds the lock; the file is not a database. */
const SQLITE_BUSY = 5
const SQLITE_NOTADB = 26

/** A data dir this process holds, until `release()` or its end, however it ends. */
export interface DataDirLock {
  readonly dataDir: string
  /** Lets the data dir go; safe to call twice. */
  release(): void
}

/**
 * Takes the data dir for this process: no other peer, in this process or another, can take it
 * until this one lets go or ends. A peer takes it before anything of it listens, so one
 * identity is never online twice.
 *
 * Why SQLite: Node has no flock. The lock is a SQLite database that this connection keeps in an
 * exclusive transaction in exclusive locking mode. SQLite locks a file with fcntl (LockFileEx
 * on Windows), which the kernel drops when the process ends, kill -9 included: no stale lock,
 * no pid file to second-guess. SQLite also makes its locks exclusive between connections of one
 * process, which fcntl alone does not, and it keeps the file open as long as a lock is held,
 * since closing any descriptor of a file drops every fcntl lock of the process on it. Lock
 * packages from npm either use a lock folder with a staleness timeout (a killed peer blocks
 * restarts until it is stale; a stopped one loses its lock) or need a native build.
 *
 * Nothing else may open the file (opening and closing it would drop the lock), and it is never
 * removed: a peer that removed it on the way out could leave a starting peer locking the
 * removed file while a third locks a new one. Where the data dir's filesystem has no working
 * fcntl locks (some network mounts), nothing is locked.
 *
 * @throws PeerAlreadyRunningError when another peer holds the data dir
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, LOCK_FILE)
  // No busy timeout: a peer that holds the data dir holds it for its whole life, waiting is no use.
  let db: DatabaseSync | undefined = new DatabaseSync(path, { timeout: 0 })
  try {
    // No journal: nothing is ever written, so the file stays empty and alone.
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = OFF')
    db.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    db.close()
    const errcode = (err as { errcode?: unknown }).errcode
    if (errcode === SQLITE_BUSY) {
      throw new PeerAlreadyRunningError(
        `a p2pc peer already runs on the data dir ${dataDir}: stop it first, or use another data dir`,
      )
    }
    if (errcode === SQLITE_NOTADB) {
      throw new DataDirLockError(
        `${path} is not the lock file p2pc made (it must be empty): remove it while no p2pc runs on the data dir`,
        { cause: err },
      )
    }
    throw err
  }
  return {
    dataDir,
    release() {
      db?.close()
      db = undefined
    },
  }
}
