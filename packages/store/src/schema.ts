import type { DatabaseSync } from 'node:sqlite'
import { SCHEMA_VERSION } from './constants.ts'
import { UnknownSchemaError } from './errors.ts'
import { inTransaction } from './transaction.ts'

/**
 * The tables. `envelopes` is the log and the source of truth; its `type`, `job_id` and
 * `signer` columns and the `jobs` table are derived from the envelope bytes and can be
 * rebuilt from them. `checkpoints` holds task state that only this peer needs.
 */
const SCHEMA_V1 = `
CREATE TABLE envelopes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  bytes BLOB NOT NULL,
  type TEXT NOT NULL,
  job_id TEXT NOT NULL,
  signer TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX envelopes_by_job ON envelopes (job_id, type);

CREATE TABLE jobs (
  job_id TEXT PRIMARY KEY,
  publisher TEXT NOT NULL,
  workload_cid TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  task_count INTEGER NOT NULL,
  published_at INTEGER NOT NULL
) STRICT;

CREATE TABLE checkpoints (
  key TEXT PRIMARY KEY,
  state BLOB NOT NULL,
  saved_at INTEGER NOT NULL
) STRICT;
`

/**
 * Version 2 adds `datastore`: libp2p's key/value records, the peer store (the address book), so a
 * restarted peer remembers the swarm. Only this peer needs them; nothing is derived from them.
 */
const SCHEMA_V2 = `
CREATE TABLE datastore (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;
`

/**
 * Version 3 adds `counters`: this peer's own tallies that no envelope records, such as the tasks
 * it finished and those that failed, so that a restart does not set them back to zero.
 */
const SCHEMA_V3 = `
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
`

/**
 * Version 4 adds `credit`: the validated credit this peer was given, per day (UTC) and job, as it
 * learnt of it. The market derives credit from the log, but not when it was earned, and a job the
 * log no longer holds takes its credit along; the history keeps both.
 */
const SCHEMA_V4 = `
CREATE TABLE credit (
  day TEXT NOT NULL,
  job_id TEXT NOT NULL,
  credit_ms REAL NOT NULL,
  PRIMARY KEY (day, job_id)
) STRICT;
`

/** Each version's changes, applied in order from the database's version up. */
const MIGRATIONS = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4]

/**
 * Opens the database's schema: creates it on a new database, brings an older one up to date in one
 * transaction, refuses one from a newer p2pc.
 */
export function migrate(db: DatabaseSync, dir: string): void {
  const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number }
  if (version > SCHEMA_VERSION) {
    throw new UnknownSchemaError(
      `the database has schema version ${version}, and this p2pc knows only up to ${SCHEMA_VERSION}: upgrade p2pc`,
    )
  }
  if (version === SCHEMA_VERSION) return
  inTransaction(db, dir, () => {
    for (const migration of MIGRATIONS.slice(version)) db.exec(migration)
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`)
  })
}
