/**
 * The Node.js flags of the sandbox process: the permission model, with read access to the
 * bundle cache and to the installed code the process itself loads, and nothing else.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The packages that the sandbox process and its workers import, besides the runtime itself; the
 * packages they depend on are readable too. ajv compiles a workload's output schema for
 * `evaluate`'s checkOutputs and for every task's output; the wire format's encoder measures it.
 */
const LOADED_PACKAGES = ['piscina', 'comlink', '@p2pc/sdk', 'ajv', '@p2pc/protocol']

/** The Node.js flags of a sandbox: those of its process, and those of the worker threads inside it. */
export interface SandboxFlags {
  process: string[]
  /**
   * The flags of the worker threads, where workload code runs: the same reads, and no
   * `--allow-worker`. A thread started with `execArgv` set runs under those flags only, and one
   * started with `execArgv: []` runs without the permission model at all (docs/api/permissions.md,
   * "Permission Model constraints": the model is not inherited by a worker whose execArgv is
   * given). Workload code must therefore not be able to start threads.
   */
  workers: string[]
}

/**
 * The flags of a sandbox that may read `readDirs` (the bundle cache).
 *
 * No `--allow-fs-write`, `--allow-child-process`, `--allow-addons`, `--allow-wasi` or
 * `--allow-inspector`: the permission model denies all of those. `--allow-worker` is needed by
 * the pool in the process's main thread, and is not given to the worker threads. Where Node.js
 * knows `--allow-net` (25 and later), not passing it denies the network; older versions have no
 * way to deny it.
 */
export function sandboxExecArgv(readDirs: string[]): SandboxFlags {
  const readable = new Set([...runtimeReadPaths(), ...readDirs.flatMap((dir) => bothForms(resolve(dir)))])
  const reads = [...readable].map((path) => `--allow-fs-read=${path}`)
  return {
    process: [
      '--permission',
      '--allow-worker',
      ...reads,
      // Node warns on every start that --allow-worker weakens the model; this file is where that is decided.
      '--disable-warning=SecurityWarning',
    ],
    workers: ['--permission', ...reads],
  }
}

/** Whether this Node.js denies the network under the permission model (it has `--allow-net`). */
export function sandboxDeniesNetwork(): boolean {
  return process.allowedNodeEnvironmentFlags.has('--allow-net')
}

let runtimePaths: string[] | undefined

/**
 * What the sandbox process reads to start: the runtime's built files and package.json, and each
 * package it loads with the packages they depend on, both where Node's resolver looks each up (a
 * workspace link, say) and where it really lies. Found once, from where this file is installed.
 * Optional dependencies are left out: the one there is, Piscina's native nice(), is an addon,
 * which the sandbox may not load anyway.
 */
function runtimeReadPaths(): string[] {
  if (runtimePaths !== undefined) return runtimePaths
  const dist = dirname(fileURLToPath(import.meta.url))
  const paths = [...bothForms(dist), ...bothForms(join(dirname(dist), 'package.json'))]
  const seen = new Set<string>()
  const visit = (from: string, name: string): void => {
    const found = bothForms(lookUpPackage(from, name))
    const real = found.at(-1)!
    if (seen.has(real)) return
    seen.add(real)
    paths.push(...found)
    for (const dependency of dependenciesOf(real)) visit(real, dependency)
  }
  for (const name of LOADED_PACKAGES) visit(dist, name)
  runtimePaths = paths
  return paths
}

/** The names of a package's dependencies, from its package.json. */
function dependenciesOf(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  return Object.keys(manifest.dependencies ?? {})
}

/** The folder where Node's resolver finds `name` when a module in `from` imports it. */
function lookUpPackage(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name)
      if (existsSync(candidate)) return candidate
    }
    if (dirname(dir) === dir) throw new Error(`the sandbox cannot find the package ${name}`)
  }
}

/** A path as given and as it really lies, since the permission model checks the path a call names. */
function bothForms(path: string): string[] {
  let real = path
  try {
    real = realpathSync(path)
  } catch {
    // Not there yet (a bundle cache created later): the path as given is all there is.
  }
  return real === path ? [path] : [path, real]
}
