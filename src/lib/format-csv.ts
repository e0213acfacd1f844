import type { TaskResult } from '@p2pc/node'

// RFC 4180 ends every record with CRLF, which spreadsheets and CSV libraries expect.
const EOL = '\r\n'

/**
 * `p2pc results --csv`: a header row, then one row per task, `index,status,output`, the output
 * JSON-encoded and empty until the task is validated (so a validated `null` reads `null`).
 */
export function formatTaskCsv(rows: readonly TaskResult[]): string {
  const lines = ['index,status,output']
  for (const row of rows) {
    const output = row.output === undefined ? '' : csvField(JSON.stringify(row.output))
    lines.push(`${row.index},${row.status},${output}`)
  }
  return lines.join(EOL) + EOL
}

/** A CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
