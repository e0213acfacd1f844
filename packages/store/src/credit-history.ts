import type { DatabaseSync } from 'node:sqlite'
import { inTransaction } from './transaction.ts'

/** Credit this peer was given on one day for one job. */
export interface CreditEntry {
  /** The day it was recorded, `YYYY-MM-DD` in UTC. */
  day: string
  jobId: string
  /** Milliseconds of validated compute; negative where the validated set gave some back. */
  creditMs: number
}

/** Every entry of the credit history, oldest day first, then by job id. */
export function readCreditHistory(db: DatabaseSync): CreditEntry[] {
  const rows = db.prepare('SELECT day, job_id, credit_ms FROM credit ORDER BY day, job_id').all()
  return rows.map((row) => ({
    day: row.day as string,
    jobId: row.job_id as string,
    creditMs: row.credit_ms as number,
  }))
}

/** Adds credit per job to one day's entries, all in one transaction. */
export function addToCreditHistory(
  db: DatabaseSync,
  dir: string,
  day: string,
  byJob: Record<string, number>,
): void {
  const add = db.prepare(
    'INSERT INTO credit (day, job_id, credit_ms) VALUES (?, ?, ?) ON CONFLICT (day, job_id) DO UPDATE SET credit_ms = credit_ms + excluded.credit_ms',
  )
  inTransaction(db, dir, () => {
    for (const [jobId, creditMs] of Object.entries(byJob)) if (creditMs !== 0) add.run(day, jobId, creditMs)
  })
}
