// Finding a system command such as `nft` where npm's bin folders would shadow it: under
// `npm test` PATH starts with node_modules/.bin, and there `nft` is @vercel/nft, a file tracer
// that accepts `nft --version` and `nft -f -` without a word and without touching a firewall.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

const found = new Map<string, string | undefined>()

/** The path of system command `name` (never one of node_modules), or undefined when there is none. */
export function findSystemTool(name: string): string | undefined {
  if (!found.has(name)) {
    // The sbin folders are often missing from PATH though root's tools live there.
    const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin']
    const path = folders
      .filter((folder) => folder !== '' && !folder.split(/[\\/]/).includes('node_modules'))
      .map((folder) => join(folder, name))
      .find((candidate) => {
        try {
          accessSync(candidate, constants.X_OK)
          return true
        } catch {
          return false
        }
      })
    found.set(name, path)
  }
  return found.get(name)
}

/** The path of system command `name`, or the bare name (to fail as not found) when there is none. */
export function systemTool(name: string): string {
  return findSystemTool(name) ?? name
}
