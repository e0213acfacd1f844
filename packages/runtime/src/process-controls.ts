/**
 * Takes the process controls out of a worker thread's reach before workload code loads: sending
 * signals (`process.kill`, and `process._kill`, the binding behind it) and changing priorities
 * (`os.setPriority`). Node's permission model checks neither, so without this a task could stop,
 * kill or renice any process of the contributor's user, its own contributor (`process.ppid`)
 * first (docs/SECURITY.md, "Signals and priorities").
 *
 * Every way workload code reaches them leads to the objects changed here: `process` is the
 * thread's own, and `import('node:os')`, `process.getBuiltinModule('node:os')` and a
 * `createRequire` all return the thread's one `os` module, whose named ESM exports
 * `syncBuiltinESMExports` refreshes. The properties are made read-only and not configurable, so
 * they cannot be put back, and the originals are not kept anywhere workload code can see. The
 * internal bindings are out of reach under the permission model (`process.binding` throws
 * ERR_ACCESS_DENIED), and taken away here for in-process pools too.
 */
import os from 'node:os'
import { syncBuiltinESMExports } from 'node:module'

/** What a withheld control throws: the permission model's own code, and what it refused. */
function denied(permission: string): () => never {
  return () => {
    throw Object.assign(new Error(`the sandbox denies ${permission}`), {
      code: 'ERR_ACCESS_DENIED',
      permission,
    })
  }
}

function withhold(target: object, name: string, permission: string): void {
  Object.defineProperty(target, name, {
    value: denied(permission),
    writable: false,
    enumerable: true,
    configurable: false,
  })
}

/** Replaces the process controls of this thread with functions that throw ERR_ACCESS_DENIED. */
export function withholdProcessControls(): void {
  withhold(process, 'kill', 'Signal')
  withhold(process, '_kill', 'Signal')
  withhold(process, 'binding', 'Binding')
  withhold(process, '_linkedBinding', 'Binding')
  withhold(os, 'setPriority', 'Priority')
  syncBuiltinESMExports()
}
