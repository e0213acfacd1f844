// The wire format of private answers: a Result whose outputHash is a commitment and whose answer
// is a box, and a Seal that opens answers and raises targets. Each rule has a message that breaks it.
import test from 'ava'
import {
  COMMITMENT_CODEC,
  answerKeyPair,
  boxAnswer,
  openAnswer,
  commitmentOf,
  failureHashOf,
  outputHashOf,
  parseCid,
  validateMessage,
} from '@p2pc/protocol'
import type { Message, Result, Seal } from '@p2pc/protocol'
import { inlineResult, jobAnnounce, publisherId } from './fixtures.ts'

const publisher = await publisherId()
const SALT = '0123456789abcdef0123456789abcdef'
const jobId = inlineResult().jobId

function boxed(overrides: Partial<Result> = {}): Result {
  return {
    type: 'Result',
    v: 1,
    jobId,
    task: 0,
    outputHash: commitmentOf(outputHashOf(42), publisher, SALT),
    box: 'c2VhbGVk',
    runtime: 'node-24/x64',
    durationMs: 5,
    ...overrides,
  } as Result
}

function seal(overrides: Partial<Seal> = {}): Seal {
  return { type: 'Seal', v: 1, jobId, tasks: [], ...overrides }
}

const KEYS = answerKeyPair(new Uint8Array(32).fill(7))
const CONTEXT = { jobId, task: 3, signer: publisher }

const opening = { signer: publisher, outputHash: outputHashOf(42), salt: SALT }

function rejects(title: string, message: unknown, expected: RegExp): void {
  test(`rejects ${title}`, (t) => {
    t.throws(() => validateMessage(message), { name: 'InvalidMessageError', message: expected })
  })
}

test('a commitment is a CID of its own codec, and differs by signer and salt', (t) => {
  const commitment = commitmentOf(outputHashOf(42), publisher, SALT)
  t.is(parseCid(commitment).code, COMMITMENT_CODEC)
  t.not(commitment, commitmentOf(outputHashOf(42), publisher, SALT.replace('0', '1')))
  t.not(commitment, commitmentOf(outputHashOf(43), publisher, SALT))
})

test('a private answer, an announce with private answers and a seal that opens and raises are valid', (t) => {
  const messages: Message[] = [
    boxed(),
    { ...jobAnnounce(publisher), answers: 'private', answerKey: KEYS.publicKey },
    seal({ opened: [{ task: 0, answers: [opening], output: 42 }] }),
    seal({ targets: [{ task: 3, target: 4 }] }),
    seal({
      opened: [{ task: 1, answers: [{ ...opening, outputHash: failureHashOf('boom'), error: 'boom' }] }],
    }),
  ]
  for (const message of messages) t.notThrows(() => validateMessage(message))
})

rejects('a box beside an output', { ...boxed(), output: 42 }, /a box or an answer in the open, not both/)
rejects(
  'a box whose outputHash is an output hash, not a commitment',
  boxed({ outputHash: outputHashOf(42) }),
  /outputHash is not a valid CID/,
)
rejects('a box that is not base64url', boxed({ box: 'not base64!' } as Partial<Result>), /box/)
rejects(
  'an announce with answers neither public nor private',
  { ...jobAnnounce(publisher), answers: 'secret' },
  /answers/,
)
rejects('a seal that says nothing', seal(), /must seal, open or raise at least one task/)
rejects(
  'an opening twice for one signer',
  seal({ opened: [{ task: 0, answers: [opening, opening] }] }),
  /repeats signer/,
)
rejects(
  'an opened output that is none of its answers',
  seal({ opened: [{ task: 0, answers: [opening], output: 43 }] }),
  /output is the output of none/,
)
rejects(
  'an opened error whose hash is not its failure hash',
  seal({ opened: [{ task: 0, answers: [{ ...opening, error: 'boom' }] }] }),
  /failure hash/,
)
rejects(
  'a salt that is not 32 hex digits',
  seal({ opened: [{ task: 0, answers: [{ ...opening, salt: 'abc' }] }] }),
  /salt/,
)
rejects('a target of 0', seal({ targets: [{ task: 0, target: 0 }] }), /target/)
rejects(
  'two targets for one task',
  seal({
    targets: [
      { task: 0, target: 2 },
      { task: 0, target: 3 },
    ],
  }),
  /repeats task index/,
)

rejects(
  'private answers without an answer key',
  { ...jobAnnounce(publisher), answers: 'private' },
  /answerKey/,
)
rejects(
  'an answer key where answers are public',
  { ...jobAnnounce(publisher), answerKey: KEYS.publicKey },
  /answerKey/,
)

test('a boxed answer opens with the job key to its output, and its commitment to the output hash', (t) => {
  const { outputHash, box } = boxAnswer(KEYS.publicKey, CONTEXT, { output: { primes: [2, 3, 5] } })
  t.notThrows(() => validateMessage(boxed({ task: 3, outputHash, box })))
  const opened = openAnswer(KEYS, CONTEXT, outputHash, box)
  t.deepEqual(opened?.output, { primes: [2, 3, 5] })
  t.is(opened?.opening.outputHash, outputHashOf({ primes: [2, 3, 5] }))
  t.is(commitmentOf(opened!.opening.outputHash, publisher, opened!.opening.salt), outputHash)
  const again = boxAnswer(KEYS.publicKey, CONTEXT, { output: { primes: [2, 3, 5] } })
  t.not(again.outputHash, outputHash, 'a fresh salt each time: equal answers do not show as equal')
})

test('a boxed failure opens to its error and failure hash', (t) => {
  const { outputHash, box } = boxAnswer(KEYS.publicKey, CONTEXT, { error: 'boom' })
  const opened = openAnswer(KEYS, CONTEXT, outputHash, box)
  t.is(opened?.opening.error, 'boom')
  t.is(opened?.opening.outputHash, failureHashOf('boom'))
  t.is(opened?.output, undefined)
})

test('a box opens to nothing under another signer, task, job or key, or changed by one byte', (t) => {
  const { outputHash, box } = boxAnswer(KEYS.publicKey, CONTEXT, { output: 42 })
  t.is(
    openAnswer(KEYS, { ...CONTEXT, signer: 'someone else' }, outputHash, box),
    undefined,
    'a copy under another key',
  )
  t.is(openAnswer(KEYS, { ...CONTEXT, task: 4 }, outputHash, box), undefined)
  t.is(openAnswer(KEYS, { ...CONTEXT, jobId: outputHashOf('another job') }, outputHash, box), undefined)
  t.is(openAnswer(answerKeyPair(new Uint8Array(32).fill(8)), CONTEXT, outputHash, box), undefined)
  const bytes = Buffer.from(box, 'base64url')
  bytes[40] = bytes[40]! ^ 1
  t.is(openAnswer(KEYS, CONTEXT, outputHash, bytes.toString('base64url')), undefined)
  t.is(openAnswer(KEYS, CONTEXT, outputHash, 'c2VhbGVk'), undefined, 'too short to be a box')
  t.is(
    openAnswer(KEYS, CONTEXT, commitmentOf(outputHashOf(43), publisher, SALT), box),
    undefined,
    'another commitment',
  )
})
