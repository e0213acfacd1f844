// The wire format of private answers: a Result whose outputHash is a commitment and whose answer
// is a box, and a Seal that opens answers and raises targets. Each rule has a message that breaks it.
import test from 'ava'
import {
  COMMITMENT_CODEC,
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
    { ...jobAnnounce(publisher), answers: 'private' },
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
