import test from 'ava'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { ed25519PublicKeyFromBytes, generateKey, peerIdOf } from '@p2pc/protocol'

test('generateKey makes Ed25519 keys with 12D3KooW peer ids', async (t) => {
  const key = await generateKey()
  t.is(key.type, 'Ed25519')
  t.regex(peerIdOf(key), /^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/)
  t.not(peerIdOf(await generateKey()), peerIdOf(key))
})

test('generateKey with a seed is deterministic', async (t) => {
  const seed = new Uint8Array(32).fill(7)
  const a = await generateKey({ seed })
  const b = await generateKey({ seed: new Uint8Array(32).fill(7) })
  const c = await generateKey({ seed: new Uint8Array(32).fill(8) })
  t.is(peerIdOf(a), peerIdOf(b))
  t.not(peerIdOf(a), peerIdOf(c))
})

test('generateKey rejects a seed that is not 32 bytes', async (t) => {
  await t.throwsAsync(generateKey({ seed: new Uint8Array(31) }), {
    name: 'InvalidParametersError',
    message: 'options.seed must be a Uint8Array of 32 bytes',
  })
})

test('peerIdOf gives the same id for the private and the public half', async (t) => {
  const key = await generateKey()
  t.is(peerIdOf(key.publicKey), peerIdOf(key))
})

test('ed25519PublicKeyFromBytes parses a protobuf Ed25519 key', async (t) => {
  const key = await generateKey()
  const parsed = ed25519PublicKeyFromBytes(publicKeyToProtobuf(key.publicKey))
  t.true(parsed.equals(key.publicKey))
})

test('ed25519PublicKeyFromBytes rejects other key types by their header, before parsing them', async (t) => {
  const secp = await generateKeyPair('secp256k1')
  const rsa = await generateKeyPair('RSA', 1024)
  // A 36-byte protobuf key whose KeyType is secp256k1 (2): the right length, the wrong header.
  const secpHeader = new Uint8Array([0x08, 0x02, 0x12, 0x20, ...new Uint8Array(32).fill(1)])
  for (const bytes of [publicKeyToProtobuf(secp.publicKey), publicKeyToProtobuf(rsa.publicKey), secpHeader]) {
    t.throws(() => ed25519PublicKeyFromBytes(bytes), {
      name: 'InvalidPublicKeyError',
      message: 'The public key is not a protobuf-encoded Ed25519 public key',
    })
  }
})

test('ed25519PublicKeyFromBytes rejects garbage', async (t) => {
  for (const bytes of [new Uint8Array(), new Uint8Array(36), (await generateKey()).publicKey.raw]) {
    t.throws(() => ed25519PublicKeyFromBytes(bytes), { name: 'InvalidPublicKeyError' })
  }
})
