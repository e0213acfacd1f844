import test from 'ava'
import {
  checkPeerMultiaddr,
  parseByteSize,
  parseDuration,
  parseFraction,
  parseMultiaddr,
  parsePercentage,
  parseStunUrl,
} from '../../src/lib/flags.ts'

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

test('a peer multiaddr ends with a /p2p/ peer id after an address, and comes back canonical', (t) => {
  const id = '12D3KooWEj5hRZbLjRLi5g8JvMZPYeETYfXyTJL5ovUj6GeVuHbk'
  t.is(checkPeerMultiaddr(`/ip4/192.0.2.7/tcp/4001/ipfs/${id}`), `/ip4/192.0.2.7/tcp/4001/p2p/${id}`)
  const relayed = `/ip4/192.0.2.7/tcp/4001/p2p/${id}/p2p-circuit/p2p/${id}`
  t.is(checkPeerMultiaddr(relayed), relayed)
  t.is(
    t.throws(() =>
      parseMultiaddr(`/ip4/192.0.2.7/tcp/4001/p2p/${id}/p2p-circuit`, 'bootstrap', { peer: true }),
    )!.message,
    `--bootstrap: "/ip4/192.0.2.7/tcp/4001/p2p/${id}/p2p-circuit" names no peer: end it with /p2p/<peer id>`,
  )
  t.is(
    parseMultiaddr('/ip4/0.0.0.0/tcp/4001', 'listen'),
    '/ip4/0.0.0.0/tcp/4001',
    'a listen address needs no peer',
  )
})

test('percentages from 1 to 100, and nothing else', (t) => {
  t.is(parsePercentage('50', 'max-cpu'), 50)
  t.is(parsePercentage('12.5', 'max-cpu'), 12.5)
  t.is(parsePercentage('100', 'max-cpu'), 100)
  for (const bad of ['0', '0.5', '101', '-5', '50%', 'half', '']) {
    t.is(
      t.throws(() => parsePercentage(bad, 'max-cpu'))!.message,
      `--max-cpu must be a percentage from 1 to 100, not "${bad}"`,
    )
  }
})

test('fractions from 0 to 1, and nothing else', (t) => {
  t.is(parseFraction('0.25', 'idle-load'), 0.25)
  t.is(parseFraction('.5', 'idle-load'), 0.5)
  t.is(parseFraction('0', 'idle-load'), 0)
  t.is(parseFraction('1', 'idle-load'), 1)
  for (const bad of ['1.5', '-0.1', '25%', 'low', '']) {
    t.regex(
      t.throws(() => parseFraction(bad, 'idle-load'))!.message,
      /^--idle-load must be a fraction from 0 to 1/,
    )
  }
})

test('sizes are read in bytes, with binary units', (t) => {
  t.is(parseByteSize('0', 'relay-circuit-bytes'), 0)
  t.is(parseByteSize('512KiB', 'x'), 512 * 1024)
  t.is(parseByteSize('1.5 MiB', 'x'), 1.5 * 1024 * 1024)
  t.is(parseByteSize('2gib', 'x'), 2 * 1024 ** 3)
  for (const bad of ['', '-1', '1XB', 'MiB', '1e3']) {
    t.throws(() => parseByteSize(bad, 'relay-peer-rate'), {
      name: 'UsageError',
      message: /^--relay-peer-rate must be a size/,
    })
  }
})

test('STUN servers are stun: URLs with a host and a port in range', (t) => {
  t.is(parseStunUrl('stun:10.99.0.1:3478', 'stun'), 'stun:10.99.0.1:3478')
  t.is(parseStunUrl('stun:stun.example.org', 'stun'), 'stun:stun.example.org')
  t.is(parseStunUrl('stun:[2001:db8::1]:3478', 'stun'), 'stun:[2001:db8::1]:3478')
  for (const bad of [
    'stun.example.org:3478',
    'turn:example.org',
    'stun:',
    'stun:example.org:70000',
    'stun:a b',
  ]) {
    t.throws(() => parseStunUrl(bad, 'stun'), {
      name: 'UsageError',
      message: /^--stun must be a STUN server/,
    })
  }
})
