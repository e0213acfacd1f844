import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

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
