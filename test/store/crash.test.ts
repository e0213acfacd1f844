import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import test from 'ava'
import { createStore } from '@p2pc/store'
import { repoRoot, temporaryDir } from '../helpers/paths.ts'

const ROUNDS = 3
const ACKS_BEFORE_KILL = 200

const killMidWrite = test.macro(async (t, mode: 'put' | 'append') => {
  const dir = await temporaryDir(t)
  const acknowledged: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'test', 'helpers', 'store-writer.ts'), dir, String(round * 1_000_000), mode],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const exited = new Promise((resolve) => child.once('exit', resolve))
    let seen = 0
    for await (const line of createInterface({ input: child.stdout })) {
      acknowledged.push(line)
      // Kill at a different point of the write cycle each round.
      if (++seen === ACKS_BEFORE_KILL + round * 37) child.kill('SIGKILL')
    }
    t.is(await exited, null, 'the writer was killed, it did not exit on its own')
  }
  const store = createStore({ dir })
  await store.start()
  t.teardown(() => store.stop())
  const stored = new Set(store.envelopes().map((row) => row.id))
  const lost = acknowledged.filter((id) => !stored.has(id))
  t.deepEqual(lost, [])
  t.true(stored.size >= ROUNDS * ACKS_BEFORE_KILL, 'every round wrote envelopes of its own')
})

test('kill -9 at any moment loses no acknowledged envelope', killMidWrite, 'put')
test('kill -9 loses no envelope acknowledged by a group commit', killMidWrite, 'append')
