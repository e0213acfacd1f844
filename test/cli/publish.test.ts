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
