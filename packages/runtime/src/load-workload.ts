import { pathToFileURL } from 'node:url'
import { validateWorkload, type Workload } from '@p2pc/sdk'

/** Imports a bundled workload module and checks that it exports a workload. */
export async function loadWorkload(bundlePath: string): Promise<Workload> {
  return validateWorkload(await import(pathToFileURL(bundlePath).href))
}
