import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { Plugin } from '@oclif/core'
import { repoRoot } from '../helpers/paths.ts'

test('oclif.manifest.json matches the built commands (run npm run build to refresh it)', async (t) => {
  // The same load that `oclif manifest` does, without writing anything.
  const plugin = new Plugin({
    root: repoRoot,
    type: 'core',
    ignoreManifest: true,
    respectNoCacheDefault: true,
  })
  await plugin.load()
  const committed = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8'))
  t.deepEqual(Object.keys(committed.commands).sort(), Object.keys(plugin.manifest.commands).sort())
  t.deepEqual(committed, JSON.parse(JSON.stringify(plugin.manifest)))
})
