import { readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { WorkloadPackageError } from './errors.ts'

/** What the runtime reads from a workload package's package.json. */
export interface WorkloadPackage {
  /** Absolute path of the package folder. */
  dir: string
  name: string
  version: string
  /** Absolute path of the entry module. */
  entry: string
}

/**
 * Reads a workload package folder. The entry is `p2pc.entry`, else `main`, else `index.js`.
 *
 * @throws WorkloadPackageError naming the folder and what is missing
 */
export async function readWorkloadPackage(folder: string): Promise<WorkloadPackage> {
  const dir = resolve(folder)
  const info = await stat(dir).catch(() => undefined)
  if (info === undefined) throw new WorkloadPackageError(`${folder} does not exist`)
  if (!info.isDirectory()) throw new WorkloadPackageError(`${folder} is not a folder`)
  const manifestPath = join(dir, 'package.json')
  const text = await readFile(manifestPath, 'utf8').catch(() => undefined)
  if (text === undefined) {
    throw new WorkloadPackageError(`${folder} is not a workload package: it has no package.json`)
  }
  let manifest: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object')
    manifest = parsed as Record<string, unknown>
  } catch (err) {
    throw new WorkloadPackageError(
      `${join(folder, 'package.json')} is not a JSON object: ${(err as Error).message}`,
    )
  }
  const p2pc = manifest.p2pc as { entry?: unknown } | undefined
  const declared = p2pc?.entry ?? manifest.main ?? 'index.js'
  if (typeof declared !== 'string' || declared === '') {
    throw new WorkloadPackageError(`${join(folder, 'package.json')} names an entry that is not a file path`)
  }
  const entry = resolve(dir, declared)
  const entryInfo = await stat(entry).catch(() => undefined)
  if (entryInfo === undefined || !entryInfo.isFile()) {
    throw new WorkloadPackageError(`the entry ${declared} of ${folder} does not exist`)
  }
  return {
    dir,
    name: typeof manifest.name === 'string' ? manifest.name : (dir.split(/[\\/]/).pop() ?? 'workload'),
    version: typeof manifest.version === 'string' ? manifest.version : '0.0.0',
    entry,
  }
}
