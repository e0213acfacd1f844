import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './paths.ts'

/** What a finished `p2pc` process left behind. */
export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the real `p2pc` binary in its own process, on the Node running the tests. */
export function p2pc(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), join(repoRoot, 'bin', 'run.js'), ...args],
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null
        resolve({ code, stdout, stderr })
      },
    )
  })
}
