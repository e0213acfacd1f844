/**
 * @packageDocumentation
 *
 * The p2pc wire format: message types and their JSON Schemas, canonical
 * DAG-CBOR encoding, content ids, signed envelopes, and the names of topics and
 * stream protocols. Pure functions only: no network, storage or timers, so every
 * peer, test and simulator checks messages exactly the same way.
 *
 * @example
 * ```ts
 * import { generateKey, openEnvelope, sealEnvelope } from '@p2pc/protocol'
 *
 * const key = await generateKey()
 * const sealed = await sealEnvelope(message, key)
 * const opened = await openEnvelope(sealed.bytes) // throws on anything hostile
 * ```
 */

export * from './constants.ts'
export {
  COMMITMENT_CODEC,
  DAG_CBOR_CODEC,
  RAW_CODEC,
  SHA2_256_CODE,
  cidOf,
  cidOfValue,
  parseCid,
} from './cid.ts'
export type { ParseCidOptions } from './cid.ts'
export { bytesEqual, decode, decodeCanonical, encode } from './encoding.ts'
export { answerKeyPair, boxAnswer, openAnswer } from './answer-box.ts'
export type { AnswerKeyPair, BoxContext, PlainAnswer } from './answer-box.ts'
export { openEnvelope, sealEnvelope } from './envelope.ts'
export type { EnvelopeFields, EnvelopeOptions, SealedEnvelope } from './envelope.ts'
export {
  DecodingError,
  EncodingError,
  InvalidCidError,
  InvalidEnvelopeError,
  InvalidMessageError,
  InvalidParametersError,
  InvalidPublicKeyError,
  InvalidSignatureError,
  MessageTooLargeError,
} from './errors.ts'
export { commitmentOf, failureHashOf, jobIdOf, outputHashOf } from './ids.ts'
export { findNonJson } from './json.ts'
export type { Json } from './json.ts'
export { ed25519PublicKeyFromBytes, generateKey, peerIdOf } from './keys.ts'
export type {
  Ed25519PrivateKey,
  Ed25519PublicKey,
  GenerateKeyOptions,
  PrivateKey,
  PublicKey,
} from './keys.ts'
export { MESSAGE_TYPES } from './messages.ts'
export { resultsOf } from './results-of.ts'
export type {
  Claim,
  JobAnnounce,
  AnswerBody,
  AnswerVisibility,
  Cancel,
  Message,
  MessageOf,
  MessageType,
  Result,
  ResultBatch,
  ResultEntry,
  Seal,
  SealEntry,
  Opening,
  OpenedTask,
  TaskTarget,
  TaskBatch,
  TaskBatchBase,
  ResultBase,
  Verification,
  WorkloadRef,
} from './messages.ts'
export {
  ENVELOPE_DOMAIN,
  FETCH_PROTOCOL,
  JOB_TOPIC_PREFIX,
  MARKET_TOPIC,
  SYNC_PROTOCOL,
  jobTopic,
} from './names.ts'
export type { JobRuleProblem, JobRules } from './schemas.ts'
export {
  claimSchema,
  jobAnnounceSchema,
  jobRulesProblem,
  messageSchemas,
  resultSchema,
  sealSchema,
  taskBatchSchema,
} from './schemas.ts'
export { checkMessage, isMessageType, validateMessage } from './validate.ts'
