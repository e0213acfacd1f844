// Bad input to the volunteer's controls: each gets one sentence and exit 1, and nothing starts.
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { spawnP2pc } from '../helpers/cli-process.ts'
import { temporaryDir } from '../helpers/paths.ts'

const noPeer = [
  ['pause'],
  ['pause', '--for', '1h'],
  ['resume'],
  ['finish'],
  ['contribute', '--no-new-tasks'],
  ['job', 'suspend', 'bafyjob'],
  ['job', 'resume', 'bafyjob'],
  ['job', 'abort', 'bafyjob'],
]

for (const args of noPeer) {
  test(`${args.join(' ')} with no contributor on the data dir says so`, async (t) => {
    const dataDir = await temporaryDir(t)
    const run = await p2pc([...args, '--data-dir', dataDir])
    t.is(run.code, 1)
    t.is(run.stderr, `p2pc: no p2pc peer runs on the data dir ${dataDir}\n`)
  })
}

for (const [text, message] of [
  ['soon', '"soon" is not a duration: write it like 500ms, 30s, 5m or 1h'],
  ['0s', '--for: a pause must last longer than 0 ms'],
]) {
  test(`pause --for ${text} is refused`, async (t) => {
    const run = await p2pc(['pause', '--for', text!, '--data-dir', await temporaryDir(t)])
    t.is(run.code, 1)
    t.is(run.stderr, `p2pc: ${message}\n`)
  })
}

test('a peer that does not contribute cannot be paused, resumed or finished', async (t) => {
  const dataDir = await temporaryDir(t)
  await spawnP2pc(t, ['node', '--data-dir', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'])
  for (const args of [['pause'], ['resume'], ['finish']]) {
    const run = await p2pc([...args, '--data-dir', dataDir, '--json'])
    t.is(run.code, 1)
    t.deepEqual(JSON.parse(run.stdout), {
      error: {
        name: 'NotContributingError',
        message: 'this peer does not contribute: start it with `p2pc contribute`',
      },
    })
  }
})
