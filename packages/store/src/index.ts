/**
 * @packageDocumentation
 *
 * The persistence of one p2pc peer on node:sqlite: the envelope log (the source of truth,
 * idempotent inserts, one transaction per batch, WAL), blobs by CID in a folder beside it,
 * the derived `jobs` table, task checkpoints, a key/value datastore for libp2p's address book,
 * the peer's own counters (tasks done and failed) and credit history, and the peer's private key.
 */

export type { BlobStore } from './blobs.ts'
export type { CreditEntry } from './credit-history.ts'
export type { JobRow, Store, StoreInit, StoredEnvelope } from './sqlite-store.ts'
export type { PersistentDatastore } from './sqlite-datastore.ts'
export { createStore } from './sqlite-store.ts'
export { folderBlobStore } from './blobs.ts'
export { loadOrCreateKey } from './key-file.ts'
export { writeFileAtomic } from './atomic-write.ts'
export { BLOB_FOLDER, DATABASE_FILE, KEY_FILE, SCHEMA_VERSION } from './constants.ts'
export {
  CorruptBlobError,
  CorruptDatabaseError,
  DiskFullError,
  InvalidKeyFileError,
  StoreBusyError,
  StoreNotStartedError,
  UnknownSchemaError,
} from './errors.ts'
