import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
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

test('the same workload bundled many times at once into one cache: every call succeeds, with one file', async (t) => {
  const cache = await temporaryDir(t)
  const pkg = await readWorkloadPackage(fixtureWorkload('squares'))
  const bundles = await Promise.all(Array.from({ length: 8 }, () => bundleWorkload(pkg, cache)))
  t.is(new Set(bundles.map((bundle) => bundle.path)).size, 1)
  t.deepEqual(await readdir(cache), [basename(bundles[0]!.path)])
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
  t.regex(
    err!.message,
    /: it imports "node:fs" \(index\.js:1\), but Node\.js built-ins are not available to workloads, /,
  )
})

/** A workload package in a temporary folder whose entry starts with `imports`. */
async function packageImporting(t: ExecutionContext, imports: string): Promise<string> {
  const dir = await temporaryDir(t)
  await writeFile(join(dir, 'package.json'), '{"name": "w", "version": "1.0.0", "type": "module"}')
  await writeFile(
    join(dir, 'index.js'),
    `${imports}\nexport default { plan: () => [1], run: () => typeof used, reduce: () => null }\n`,
  )
  return dir
}

test('a built-in imported without the node: prefix is named as a built-in too', async (t) => {
  const dir = await packageImporting(t, "import used from 'path'")
  const err = await t.throwsAsync(bundleWorkload(await readWorkloadPackage(dir), await temporaryDir(t)))
  t.is(err?.name, 'BundleError')
  t.regex(err!.message, /: it imports "path" \(index\.js:1\), but Node\.js built-ins are not available/)
})

test("a package that shares a built-in's name is bundled, and a missing one is not called a built-in", async (t) => {
  const dir = await packageImporting(t, "import used from 'events'")
  await mkdir(join(dir, 'node_modules', 'events'), { recursive: true })
  await writeFile(
    join(dir, 'node_modules', 'events', 'package.json'),
    '{"name": "events", "main": "index.js"}',
  )
  await writeFile(
    join(dir, 'node_modules', 'events', 'index.js'),
    'module.exports = function EventEmitter() {}\n',
  )
  const bundle = await bundleWorkload(await readWorkloadPackage(dir), await temporaryDir(t))
  t.regex(new TextDecoder().decode(bundle.bytes), /EventEmitter/)

  const missing = await packageImporting(t, "import used from 'no-such-package'")
  const err = await t.throwsAsync(bundleWorkload(await readWorkloadPackage(missing), await temporaryDir(t)))
  t.regex(err!.message, /: Could not resolve "no-such-package" \(index\.js:1\)$/)
})
