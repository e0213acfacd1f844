/** Thrown when the store is used before `start()` or after `stop()`. */
export class StoreNotStartedError extends Error {
  static override name = 'StoreNotStartedError'

  constructor(message = 'The store is not started') {
    super(message)
    this.name = 'StoreNotStartedError'
  }
}

/** Thrown when a blob on disk no longer matches its CID: it was damaged or tampered with. */
export class CorruptBlobError extends Error {
  static override name = 'CorruptBlobError'

  constructor(message = 'A stored blob does not match its CID') {
    super(message)
    this.name = 'CorruptBlobError'
  }
}

/** Thrown when the database was written by a newer p2pc whose schema this one does not know. */
export class UnknownSchemaError extends Error {
  static override name = 'UnknownSchemaError'

  constructor(message = 'The database schema is newer than this p2pc') {
    super(message)
    this.name = 'UnknownSchemaError'
  }
}

/** Thrown when the peer's key file cannot be read as a private key. */
export class InvalidKeyFileError extends Error {
  static override name = 'InvalidKeyFileError'

  constructor(message = 'The key file does not hold a private key', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidKeyFileError'
  }
}

/**
 * Thrown when a write fails because the disk that holds the data dir is full (SQLITE_FULL,
 * ENOSPC): nothing was written, and the same write can succeed once there is space again.
 */
export class DiskFullError extends Error {
  static override name = 'DiskFullError'

  constructor(message = 'The disk of the data dir is full', options?: ErrorOptions) {
    super(message, options)
    this.name = 'DiskFullError'
  }
}

/**
 * Thrown when the database of a data dir is damaged: empty, not a database, or failing
 * SQLite's `quick_check`. The file is left as it was.
 */
export class CorruptDatabaseError extends Error {
  static override name = 'CorruptDatabaseError'

  constructor(message = 'The database is damaged', options?: ErrorOptions) {
    super(message, options)
    this.name = 'CorruptDatabaseError'
  }
}

/**
 * Thrown when another process held a lock on the database for longer than the store waits
 * (SQLITE_BUSY after the busy timeout): nothing was written, and the same call can succeed later.
 */
export class StoreBusyError extends Error {
  static override name = 'StoreBusyError'

  constructor(message = 'The database is locked by another process', options?: ErrorOptions) {
    super(message, options)
    this.name = 'StoreBusyError'
  }
}
