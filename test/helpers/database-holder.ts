// A child process that holds a lock on a store's database, as another program could: `write`
// holds a write transaction (other connections may still read), `exclusive` holds the file in
// exclusive locking mode (nobody else may even read). Prints "holding" once it holds the lock,
// then holds it for HOLD-MS and prints "released", or until killed.
import { DatabaseSync } from 'node:sqlite'
import { setTimeout as sleep } from 'node:timers/promises'

const [path, mode, holdMs] = process.argv.slice(2)
if (path === undefined || (mode !== 'write' && mode !== 'exclusive')) {
  throw new Error('usage: database-holder.ts PATH write|exclusive [HOLD-MS]')
}
const db = new DatabaseSync(path, { timeout: 0 })
if (mode === 'exclusive') db.exec('PRAGMA locking_mode = EXCLUSIVE')
db.exec('BEGIN IMMEDIATE')
db.prepare('INSERT INTO checkpoints (key, state, saved_at) VALUES (?, ?, ?)').run(
  'held',
  new Uint8Array(1),
  0,
)
process.stdout.write('holding\n')
if (holdMs === undefined) setInterval(() => {}, 60_000)
else {
  await sleep(Number(holdMs))
  db.exec('ROLLBACK')
  db.close()
  process.stdout.write('released\n')
}
