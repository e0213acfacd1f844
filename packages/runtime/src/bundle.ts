import { randomBytes } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { cidOf } from '@p2pc/protocol'
import { BUNDLE_EXTENSION } from './constants.ts'
import { BundleError } from './errors.ts'
import type { WorkloadPackage } from './workload-package.ts'

/** A workload bundled into one self-contained ES module. */
export interface WorkloadBundle {
  /** Content id of the module's bytes (CIDv1, raw, sha2-256): the workload's identity on the network. */
  cid: string
  /** Where the module lies in the bundle cache, named by its CID. */
  path: string
  bytes: Uint8Array
}

/**
 * Bundles a workload's entry with esbuild into one ES module with no imports left, so
 * contributors need nothing but this file, and stores it in `cacheDir` under its CID.
 *
 * The build is platform-neutral: a workload runs in a worker on a stranger's machine and
 * gets no Node built-ins, so importing one fails here, at publish time, not there, with a
 * sentence that says so and names the module.
 *
 * @throws BundleError naming the entry and the first problem
 */
export async function bundleWorkload(pkg: WorkloadPackage, cacheDir: string): Promise<WorkloadBundle> {
  let bytes: Uint8Array
  try {
    const result = await build({
      entryPoints: [pkg.entry],
      // Relative paths in the output's comments keep the CID independent of where the package lies.
      absWorkingDir: pkg.dir,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2023',
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
      charset: 'utf8',
    })
    const output = result.outputFiles[0]
    if (output === undefined) throw new Error('esbuild produced no output')
    bytes = output.contents
  } catch (err) {
    throw new BundleError(
      `cannot bundle ${relative(process.cwd(), pkg.entry) || pkg.entry}: ${describeBuildError(err)}`,
    )
  }
  const cid = cidOf(bytes).toString()
  const path = join(cacheDir, `${cid}${BUNDLE_EXTENSION}`)
  await mkdir(cacheDir, { recursive: true })
  // Written under a temporary name and renamed, so a reader never sees half a bundle. The name is
  // one of this call's own: a peer bundles the same workload for two publishes at once, and a
  // shared name let one rename the other's file away (ENOENT).
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temporary, bytes)
  await rename(temporary, path)
  return { cid, path, bytes }
}

function describeBuildError(err: unknown): string {
  const errors = (
    err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }
  ).errors
  const first = errors?.[0]
  if (first === undefined) return (err as Error).message
  const where = first.location == null ? '' : ` (${first.location.file}:${first.location.line})`
  // esbuild's own note suggests bundling for Node, which is no option for a workload. A built-in
  // that a package of the same name (a polyfill in node_modules) provides resolves, and is fine.
  const unresolved = /^Could not resolve "(.+)"$/.exec(first.text)?.[1]
  if (unresolved !== undefined && (unresolved.startsWith('node:') || isBuiltin(unresolved))) {
    return `it imports "${unresolved}"${where}, but Node.js built-ins are not available to workloads, which run as one self-contained module on contributors' machines: use plain JavaScript or npm packages instead`
  }
  return `${first.text}${where}`
}
