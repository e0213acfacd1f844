import test from 'ava'
import { readWorkloadPackage } from '@p2pc/runtime'
import { fixtureWorkload } from '../helpers/paths.ts'

test('reads name, version and the entry, falling back to index.js', async (t) => {
  const pkg = await readWorkloadPackage(fixtureWorkload('squares'))
  t.is(pkg.name, 'squares')
  t.is(pkg.version, '1.0.0')
  t.true(pkg.entry.endsWith('squares/index.js'))
})

test('a folder without package.json is named as such', async (t) => {
  const err = await t.throwsAsync(readWorkloadPackage(fixtureWorkload('no-package-json')))
  t.is(err?.name, 'WorkloadPackageError')
  t.regex(err!.message, /has no package\.json/)
})

test('a missing entry file is named', async (t) => {
  const err = await t.throwsAsync(readWorkloadPackage(fixtureWorkload('missing-entry')))
  t.is(err?.name, 'WorkloadPackageError')
  t.regex(err!.message, /the entry src\/nowhere\.js .* does not exist/)
})

test('a folder that does not exist is named', async (t) => {
  const err = await t.throwsAsync(readWorkloadPackage(fixtureWorkload('there-is-no-such-folder')))
  t.is(err?.name, 'WorkloadPackageError')
  t.regex(err!.message, /does not exist/)
})
