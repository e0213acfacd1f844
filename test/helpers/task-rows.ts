import type { TaskResult } from '@p2pc/node'

/**
 * Task rows without how each task was verified, which races decide (a vote its publisher seals
 * before a reader's tally has every answer reads `sealed` there), after checking that every
 * validated row says how, and no other row does.
 */
export function withoutVerified(rows: readonly TaskResult[]): TaskResult[] {
  return rows.map(({ verified, ...row }) => {
    if ((row.status === 'validated') !== (verified !== undefined)) {
      throw new Error(`task ${row.index} is ${row.status} and says verified ${String(verified)}`)
    }
    return row
  })
}
