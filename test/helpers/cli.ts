import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { inNetns } from './netns.ts'
import { repoRoot } from './paths.ts'

/** What a finished `p2pc` process left behind. */
export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * `p2pc publish DIR FLAGS... --data-dir DATA_DIR --json` through the peer on the data dir (or one
 * started for it): the id of the job, once the command succeeded.
 */
export async function publishedJobId(dir: string, dataDir: string, flags: string[] = []): Promise<string> {
  const run = await p2pc(['publish', dir, ...flags, '--data-dir', dataDir, '--json'])
  if (run.code !== 0) throw new Error(`publish failed: ${run.stderr}`)
  return (JSON.parse(run.stdout) as { jobId: string }).jobId
}

/** The aggregate `p2pc run-local DIR --params PARAMS --json` prints, in a data dir of its own. */
export async function runLocalAggregate(dir: string, params: string, dataDir: string): Promise<unknown> {
  const run = await p2pc(['run-local', dir, '--params', params, '--json', '--data-dir', dataDir])
  if (run.code !== 0) throw new Error(`run-local failed: ${run.stderr}`)
  return (JSON.parse(run.stdout) as { aggregate: unknown }).aggregate
}

/**
 * Runs the real `p2pc` binary in its own process, on the Node running the tests, in `cwd` if
 * given, and in network namespace `netns` if given (one of a NAT lab's).
 */
export function p2pc(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv
    nodeArgs?: string[]
    timeoutMs?: number
    cwd?: string
    netns?: string
  } = {},
): Promise<CliRun> {
  const [file, fileArgs] = inNetns(options.netns, process.execPath, [
    ...(options.nodeArgs ?? []),
    join(repoRoot, 'bin', 'run.js'),
    ...args,
  ])
  return new Promise((resolve) => {
    execFile(
      file,
      fileArgs,
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000, cwd: options.cwd },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null
        resolve({ code, stdout, stderr })
      },
    )
  })
}
