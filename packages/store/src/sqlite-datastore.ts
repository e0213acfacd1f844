import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { BaseDatastore } from 'datastore-core/base'
import { Key, type Datastore, type KeyQuery, type Pair, type Query } from 'interface-datastore'
import { NotFoundError } from 'interface-store'
import { inTransaction } from './transaction.ts'

/** A datastore whose writes are kept in memory for a moment and committed together. */
export interface PersistentDatastore extends Datastore {
  /** Commits the writes held in memory now, in one transaction. */
  flush(): void
}

/** Options of {@link SqliteDatastore}. */
export interface SqliteDatastoreInit {
  /** The store's open database; throws when the store is not started. */
  database: () => DatabaseSync
  /** The folder whose disk a DiskFullError names. */
  dir: string
  /** How long a write waits in memory for others to share its commit. */
  flushMs: number
}

interface Statements {
  db: DatabaseSync
  get: StatementSync
  has: StatementSync
  put: StatementSync
  delete: StatementSync
  all: StatementSync
}

/**
 * libp2p's datastore (interface-datastore) on the store's `datastore` table.
 *
 * Writes resolve at once and are committed together after `flushMs`, not each on its own:
 * libp2p's peer store writes a peer's record on every stream opened to or from it (protocols
 * merged, an `updated` time that always changes) and awaits the write while the stream waits,
 * so a commit that waited for the disk each time would slow every fetch and sync down, and
 * node:sqlite's commits block the event loop. What these records hold is a cache of hints
 * (addresses, protocols, tags); a crash loses at most the last `flushMs` of changes, which the
 * next connection writes again, and a commit is a transaction, whole or absent.
 */
export class SqliteDatastore extends BaseDatastore implements PersistentDatastore {
  /** Writes not committed yet, by key; null is a deletion. */
  private readonly pending = new Map<string, Uint8Array | null>()
  private readonly init: SqliteDatastoreInit
  private statements: Statements | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(init: SqliteDatastoreInit) {
    super()
    this.init = init
  }

  override put(key: Key, value: Uint8Array): Key {
    this.prepared()
    this.pending.set(key.toString(), value)
    this.schedule()
    return key
  }

  override get(key: Key): Uint8Array {
    const name = key.toString()
    const held = this.pending.get(name)
    if (held === null) throw new NotFoundError(`no datastore entry ${name}`)
    if (held !== undefined) return held
    const row = this.prepared().get.get(name)
    if (row === undefined) throw new NotFoundError(`no datastore entry ${name}`)
    return row.value as Uint8Array
  }

  override has(key: Key): boolean {
    const held = this.pending.get(key.toString())
    if (held !== undefined) return held !== null
    return this.prepared().has.get(key.toString()) !== undefined
  }

  override delete(key: Key): void {
    this.prepared()
    this.pending.set(key.toString(), null)
    this.schedule()
  }

  /** Every entry under the query's prefix (BaseDatastore applies the filters, orders and limits). */
  override *_all(query: Query): Generator<Pair> {
    // A snapshot: the caller awaits between entries, and a commit meanwhile must not change what it reads.
    const prefix = query.prefix ?? ''
    const rows = this.prepared().all.all(prefix.length, prefix)
    const held = [...this.pending].filter(([name]) => name.startsWith(prefix))
    const overridden = new Set(held.map(([name]) => name))
    for (const row of rows) {
      const name = row.key as string
      if (!overridden.has(name)) yield { key: new Key(name), value: row.value as Uint8Array }
    }
    for (const [name, value] of held) if (value !== null) yield { key: new Key(name), value }
  }

  override *_allKeys(query: KeyQuery): Generator<Key> {
    for (const { key } of this._all({ prefix: query.prefix })) yield key
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.size === 0) return
    const statements = this.prepared()
    inTransaction(statements.db, this.init.dir, () => {
      for (const [name, value] of this.pending) {
        if (value === null) statements.delete.run(name)
        else statements.put.run(name, value)
      }
    })
    // Nothing can be written between the snapshot and here: the commit above is synchronous.
    this.pending.clear()
  }

  private schedule(): void {
    if (this.timer !== undefined) return
    this.timer = setTimeout(() => {
      try {
        this.flush()
      } catch {
        // A full disk, or a store that stopped meanwhile: the writes stay held and are tried again.
        this.schedule()
      }
    }, this.init.flushMs)
    this.timer.unref()
  }

  private prepared(): Statements {
    const db = this.init.database()
    if (this.statements?.db !== db) {
      this.statements = {
        db,
        get: db.prepare('SELECT value FROM datastore WHERE key = ?'),
        has: db.prepare('SELECT 1 FROM datastore WHERE key = ?'),
        put: db.prepare(
          'INSERT INTO datastore (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ),
        delete: db.prepare('DELETE FROM datastore WHERE key = ?'),
        all: db.prepare('SELECT key, value FROM datastore WHERE substr(key, 1, ?) = ?'),
      }
    }
    return this.statements
  }
}
