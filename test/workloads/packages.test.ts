import test from 'ava'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { bundleWorkload, loadWorkload, readWorkloadPackage } from '@p2pc/runtime'
import type { TaskContext, Workload } from '@p2pc/sdk'
import hpFold from '../../workloads/hp-fold/src/index.ts'
import pi from '../../workloads/pi/src/index.ts'
import primes from '../../workloads/primes/src/index.ts'
import { temporaryDir } from '../helpers/paths.ts'

// What every workload package owes the runtime: a manifest naming its entry, schemas that
// ajv compiles in strict mode, plans and outputs those schemas accept, and an entry that
// bundles into one module with no imports left.

const workloads = { primes, pi, 'hp-fold': hpFold } as Record<string, Workload>
/** Params small enough to run every task in a test. */
const small: Record<string, object> = {
  primes: { upTo: 30_000, chunk: 10_000 },
  pi: { samples: 3000, tasks: 3 },
  'hp-fold': { tasks: 2, steps: 2000 },
}

const folder = (name: string): string => fileURLToPath(new URL(`../../workloads/${name}/`, import.meta.url))
const context: TaskContext = {
  signal: new AbortController().signal,
  progress() {},
  log() {},
  async checkpoint() {},
  async restore() {
    return undefined
  },
}

async function outputsOf(workload: Workload, params: object): Promise<unknown[]> {
  const outputs = []
  for await (const input of workload.plan(params)) outputs.push(await workload.run(input, context))
  return outputs
}

for (const [name, workload] of Object.entries(workloads)) {
  test(`${name}: package.json names the entry and the SDK`, async (t) => {
    const manifest = JSON.parse(await readFile(`${folder(name)}package.json`, 'utf8')) as Record<
      string,
      unknown
    >
    t.like(manifest, {
      name: `@p2pc/workload-${name}`,
      version: '1.0.0',
      private: true,
      type: 'module',
      p2pc: { entry: 'src/index.ts' },
      dependencies: { '@p2pc/sdk': '0.1.0' },
    })
    t.is(typeof manifest.description, 'string')
  })

  test(`${name}: schemas compile strictly, and plan and run stay inside them`, async (t) => {
    const ajv = new Ajv({ strict: true, useDefaults: true })
    const params = ajv.compile(workload.params!)
    const input = ajv.compile(workload.input!)
    const output = ajv.compile(workload.output!)
    // ajv's defaults and plan's own defaults describe the same job.
    const withDefaults = {}
    t.true(params(withDefaults))
    t.deepEqual(
      [...(workload.plan(withDefaults) as Iterable<unknown>)],
      [...(workload.plan({}) as Iterable<unknown>)],
    )
    t.false(params({ unknown: 1 }))
    t.true(params(structuredClone(small[name])))
    for (const task of workload.plan(small[name]!) as Iterable<unknown>)
      t.true(input(task), ajv.errorsText(input.errors))
    for (const value of await outputsOf(workload, small[name]!)) {
      t.true(output(value), ajv.errorsText(output.errors))
      t.deepEqual(JSON.parse(JSON.stringify(value)), value)
    }
  })

  test(`${name}: the runtime bundles the entry into one self-contained module that computes the same`, async (t) => {
    const bundle = await bundleWorkload(await readWorkloadPackage(folder(name)), await temporaryDir(t))
    const code = new TextDecoder().decode(bundle.bytes)
    t.notRegex(code, /^\s*import\b|\bimport\s*\(|\brequire\s*\(/m)
    const bundled = await loadWorkload(bundle.path)
    t.deepEqual(await outputsOf(bundled, small[name]!), await outputsOf(workload, small[name]!))
  })
}
