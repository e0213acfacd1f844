/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'store.db'

/** Folder of blobs inside the data directory; each file is named by its CID. */
export const BLOB_FOLDER = 'blobs'

/** File of the peer's private key inside the data directory, readable by its owner only. */
export const KEY_FILE = 'peer.key'

/** The schema version this code writes; `PRAGMA user_version` records it in the database. */
export const SCHEMA_VERSION = 4

/**
 * How long a connection waits for a lock another one holds (a write, a checkpoint, WAL recovery)
 * before a call fails with StoreBusyError: one peer per data dir writes in short transactions, so
 * a longer wait means something else holds the database.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000
