// The baseline of the benchmarks: a bare Piscina pool calling the bundled workload's run, with
// nothing around it.
import { Piscina } from 'piscina'
import { bundleWorkload, readWorkloadPackage } from '@p2pc/runtime'

export interface BarePoolRun {
  workloadDir: string
  cacheDir: string
  threads: number
  tasks: number
  /** Task i spins `iterations + i` rounds, as the busy workload's plan says. */
  iterations: number
}

/** Tasks per second of the bare pool, bundling included. */
export async function barePoolRate(run: BarePoolRun): Promise<number> {
  const started = performance.now()
  const bundle = await bundleWorkload(await readWorkloadPackage(run.workloadDir), run.cacheDir)
  const pool = new Piscina({
    filename: new URL('./bare-worker.mjs', import.meta.url).href,
    minThreads: run.threads,
    maxThreads: run.threads,
  })
  await Promise.all(
    Array.from({ length: run.tasks }, (_, i) =>
      pool.run({ bundle: bundle.path, input: { iterations: run.iterations + i } }),
    ),
  )
  await pool.destroy()
  return run.tasks / ((performance.now() - started) / 1000)
}
