#!/usr/bin/env node
// Entry point of the `p2pc` binary. Kept to syntax that any Node can parse (no top-level
// await, no static imports), so that an old Node prints one clear sentence instead of a
// stack trace from a dependency.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    'p2pc needs Node.js 22.13 or newer, and this is Node.js ' +
      process.versions.node +
      '; install a current Node.js, or run p2pc with npm from its repository, which pins one.\n',
  )
  process.exit(1)
}
import('@oclif/core').then(({ execute }) => execute({ dir: import.meta.url }))
