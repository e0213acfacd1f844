import test from 'ava'
import { parseDuration, parseMultiaddr } from '../../src/lib/flags.ts'

test('durations in ms, s, m and h', (t) => {
  t.is(parseDuration('500ms'), 500)
  t.is(parseDuration('30s'), 30_000)
  t.is(parseDuration('1.5s'), 1500)
  t.is(parseDuration('5m'), 300_000)
  t.is(parseDuration('2h'), 7_200_000)
})

test('anything else is refused with an example of the form', (t) => {
  for (const bad of ['5', 's', '-1s', '1 d', '1e3ms', '']) {
    t.regex(t.throws(() => parseDuration(bad))!.message, /is not a duration: write it like 500ms/, bad)
  }
})

test('multiaddrs pass as they are; anything else names the flag, the value and the reason', (t) => {
  t.is(parseMultiaddr('/ip4/127.0.0.1/tcp/4001', 'listen'), '/ip4/127.0.0.1/tcp/4001')
  t.is(
    t.throws(() => parseMultiaddr('127.0.0.1:4001', 'bootstrap'))!.message,
    '--bootstrap: "127.0.0.1:4001" is not a multiaddr (String multiaddr must start with "/")',
  )
  t.regex(
    t.throws(() => parseMultiaddr('/ip4/1.2.3.4/tcp', 'listen'))!.message,
    /^--listen: ".*" is not a multiaddr \(.+\)$/,
  )
})
