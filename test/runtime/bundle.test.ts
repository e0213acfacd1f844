import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import test from 'ava'
import { cidOf } from '@p2pc/protocol'
import { bundleWorkload, loadWorkload, readWorkloadPackage } from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir, workloadDir } from '../helpers/paths.ts'

test('a bundle is stored under the CID of its bytes', async (t) => {
  const cache = await temporaryDir(t)
  const bundle = await bundleWorkload(await readWorkloadPackage(fixtureWorkload('squares')), cache)
  const stored = await readFile(bundle.path)
  t.is(basename(bundle.path), `${bundle.cid}.mjs`)
  t.is(cidOf(stored).toString(), bundle.cid)
  t.regex(bundle.cid, /^bafkrei/, 'a CIDv1 with the raw codec over sha2-256')
})

test('bundling is deterministic whatever the cache folder', async (t) => {
  const pkg = await readWorkloadPackage(workloadDir('primes'))
  const a = await bundleWorkload(pkg, await temporaryDir(t))
  const b = await bundleWorkload(pkg, await temporaryDir(t))
  t.is(a.cid, b.cid)
})

test('the bundle of a TypeScript workload importing the SDK is self-contained', async (t) => {
  const bundle = await bundleWorkload(await readWorkloadPackage(workloadDir('pi')), await temporaryDir(t))
  const text = new TextDecoder().decode(bundle.bytes)
  t.notRegex(text, /from\s+['"]@p2pc\/sdk['"]/)
  const workload = await loadWorkload(bundle.path)
  t.is(typeof workload.run, 'function')
})

test('importing a Node built-in is refused at bundle time', async (t) => {
  const err = await t.throwsAsync(
    bundleWorkload(await readWorkloadPackage(fixtureWorkload('imports-node')), await temporaryDir(t)),
  )
  t.is(err?.name, 'BundleError')
  t.regex(err!.message, /node:fs/)
})
