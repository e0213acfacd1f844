// A child process for the orphan-sandbox test: a sandboxed pool under a governor that pauses on
// battery, reading its power supply from POWER-DIR, runs one task that sleeps for days. Prints the
// sandbox process's id once the pool has one, then waits to be killed. Linux: it reads /proc.
import { bundleWorkload, createSandboxedTaskPool, readWorkloadPackage } from '@p2pc/runtime'
import { fixtureWorkload } from './paths.ts'
import { childPids, commandLine } from './process-cpu.ts'

const [cache, powerDir] = process.argv.slice(2)
if (cache === undefined || powerDir === undefined) throw new Error('usage: sandbox-parent.ts CACHE POWER-DIR')

const pool = createSandboxedTaskPool({
  threads: 1,
  bundleDir: cache,
  governor: { onBattery: 'pause', powerSupplyDir: powerDir, powerCheckMs: 50 },
})
pool.start()
const bundle = await bundleWorkload(await readWorkloadPackage(fixtureWorkload('sleeps')), cache)
void pool.run({ bundle: bundle.path, input: 1_000_000_000 })
const sandbox = childPids().find((pid) => commandLine(pid).includes('sandbox-main'))
if (sandbox === undefined) throw new Error('the sandbox process did not start')
process.stdout.write(`${JSON.stringify({ sandbox })}\n`)
