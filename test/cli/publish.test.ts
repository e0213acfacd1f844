import { existsSync } from 'node:fs'
import { join } from 'node:path'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

// publish brings a peer online: it stays on loopback and off multicast DNS.
const offline = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']

test('publish of a workload that imports a Node built-in says built-ins are not available', async (t) => {
  const run = await p2pc([
    'publish',
    fixtureWorkload('imports-node'),
    ...offline,
    '--data-dir',
    await temporaryDir(t),
  ])
  t.is(run.code, 1)
  t.is(run.stdout, '')
  t.regex(
    run.stderr,
    /^p2pc: cannot bundle .*index\.js: it imports "node:fs" \(index\.js:1\), but Node\.js built-ins are not available to workloads, [^\n]+\n$/,
  )
})

const badRules: Array<[string, string[], string]> = [
  [
    '--max-replicas below the default quorum',
    ['--max-replicas', '1'],
    '--max-replicas must be at least --quorum (2), not 1',
  ],
  [
    '--max-replicas below --quorum',
    ['--quorum', '7', '--max-replicas', '6'],
    '--max-replicas must be at least --quorum (7), not 6',
  ],
  [
    '--max-replicas over the limit',
    ['--max-replicas', '200'],
    '--max-replicas must be from 2 to 128, not 200',
  ],
  ['--quorum over the limit', ['--quorum', '100'], '--quorum must be from 1 to 64, not 100'],
  ['--lease of 0s', ['--lease', '0s'], '--lease must be from 1s to 24h, not 0s'],
  ['--lease under a second', ['--lease', '500ms'], '--lease must be from 1s to 24h, not 500ms'],
  ['--lease over a day', ['--lease', '25h'], '--lease must be from 1s to 24h, not 25h'],
  [
    '--spot-checks over 1',
    ['--spot-checks', '2'],
    '--spot-checks must be a fraction from 0 to 1, such as 0.25, not "2"',
  ],
  [
    '--target-error of 0',
    ['--target-error', '0'],
    '--target-error must be a rate above 0 and below 1, such as 0.001 or 0.1%, not "0"',
  ],
  [
    '--target-error of 100%',
    ['--target-error', '100%'],
    '--target-error must be a rate above 0 and below 1, such as 0.001 or 0.1%, not "100%"',
  ],
  [
    '--target-error that is no number',
    ['--target-error', 'low'],
    '--target-error must be a rate above 0 and below 1, such as 0.001 or 0.1%, not "low"',
  ],
]

const choices: Array<[string, string, string]> = [
  ['--verification', 'lax', 'strict, adaptive'],
  ['--answers', 'secret', 'public, private'],
]

for (const [flag, value, known] of choices) {
  test(`publish with a ${flag} it does not know: the choices, before any peer starts`, async (t) => {
    const dataDir = join(await temporaryDir(t), 'p2pc')
    const run = await p2pc([
      'publish',
      fixtureWorkload('squares'),
      flag,
      value,
      ...offline,
      '--data-dir',
      dataDir,
    ])
    t.not(run.code, 0)
    t.is(run.stdout, '')
    t.is(run.stderr, `p2pc: Expected ${flag}=${value} to be one of: ${known}\n`)
    t.false(existsSync(dataDir), 'no peer started')
  })
}

for (const [what, flags, message] of badRules) {
  test(`publish with ${what}: the flag and its range, before any peer starts`, async (t) => {
    // A data dir still to be made: a peer that started would have made it.
    const dataDir = join(await temporaryDir(t), 'p2pc')
    const run = await p2pc([
      'publish',
      fixtureWorkload('squares'),
      ...flags,
      ...offline,
      '--data-dir',
      dataDir,
    ])
    t.is(run.code, 1)
    t.is(run.stdout, '')
    t.is(run.stderr, `p2pc: ${message}\n`)
    t.false(existsSync(dataDir), 'no peer started')
  })
}

test('publish with --json and a bad rule: the flag in a JSON error', async (t) => {
  const dataDir = await temporaryDir(t)
  const run = await p2pc([
    'publish',
    fixtureWorkload('squares'),
    '--lease',
    '0s',
    '--json',
    ...offline,
    '--data-dir',
    dataDir,
  ])
  t.is(run.code, 1)
  t.deepEqual(JSON.parse(run.stdout), {
    error: { name: 'UsageError', message: '--lease must be from 1s to 24h, not 0s' },
  })
})
