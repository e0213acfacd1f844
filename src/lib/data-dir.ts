import { accessSync, constants, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { UsageError } from '../errors.ts'

/**
 * The peer's data directory: the flag, else `$P2PC_HOME`, else `$XDG_DATA_HOME/p2pc`,
 * else `~/.local/share/p2pc`.
 */
export function dataDir(flag?: string): string {
  if (flag !== undefined && flag !== '') return resolve(flag)
  const home = process.env.P2PC_HOME
  if (home !== undefined && home !== '') return resolve(home)
  const xdg = process.env.XDG_DATA_HOME
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share'), 'p2pc')
}

/** Where bundled workload modules are cached, named by CID. */
export function bundleCacheDir(dir: string): string {
  return join(dir, 'bundles')
}

/**
 * Creates the data dir if it is missing and checks that this user may write in it, so that a
 * command fails with one sentence up front rather than halfway through with a database error.
 *
 * @throws UsageError naming the folder and the reason
 */
export function ensureWritableDir(dir: string): void {
  const advice = 'choose another with --data-dir or $P2PC_HOME'
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new UsageError(`cannot create the data dir ${dir} (${reason(err)}): ${advice}`, { cause: err })
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (err) {
    throw new UsageError(`the data dir ${dir} is not writable (${reason(err)}): ${advice}`, { cause: err })
  }
}

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message
}
