import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ExecutionContext } from 'ava'

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** A test workload package from test/fixtures/workloads. */
export function fixtureWorkload(name: string): string {
  return join(repoRoot, 'test', 'fixtures', 'workloads', name)
}

/** A real workload package from workloads/. */
export function workloadDir(name: string): string {
  return join(repoRoot, 'workloads', name)
}

/** A fresh temporary folder, removed when the test ends. */
export async function temporaryDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pc-test-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}
