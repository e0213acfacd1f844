import type { DatabaseSync } from 'node:sqlite'
import { inTransaction } from './transaction.ts'

/** Every counter of the `counters` table by name. */
export function readCounters(db: DatabaseSync): Record<string, number> {
  const counters: Record<string, number> = {}
  for (const row of db.prepare('SELECT name, value FROM counters ORDER BY name').all()) {
    counters[row.name as string] = row.value as number
  }
  return counters
}

/** Adds each delta to its counter (a missing one starts at 0), all in one transaction. */
export function addToCounters(db: DatabaseSync, dir: string, deltas: Record<string, number>): void {
  const add = db.prepare(
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
  )
  inTransaction(db, dir, () => {
    for (const [name, delta] of Object.entries(deltas)) if (delta !== 0) add.run(name, delta)
  })
}
