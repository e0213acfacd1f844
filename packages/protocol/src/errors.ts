/** Thrown when a string is not a CIDv1 in canonical base32 form, or not of the expected codec or hash. */
export class InvalidCidError extends Error {
  static override name = 'InvalidCidError'

  constructor(message = 'Not a valid content id', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidCidError'
  }
}

/** Thrown when a value cannot be encoded as DAG-CBOR (for example it holds `undefined`). */
export class EncodingError extends Error {
  static override name = 'EncodingError'

  constructor(message = 'The value cannot be encoded as DAG-CBOR', options?: ErrorOptions) {
    super(message, options)
    this.name = 'EncodingError'
  }
}

/** Thrown when bytes are not valid DAG-CBOR, or not in its canonical form. */
export class DecodingError extends Error {
  static override name = 'DecodingError'

  constructor(message = 'The bytes are not valid canonical DAG-CBOR', options?: ErrorOptions) {
    super(message, options)
    this.name = 'DecodingError'
  }
}

/** Thrown when a message fails its JSON Schema or a semantic check; the message names the kind and the problem. */
export class InvalidMessageError extends Error {
  static override name = 'InvalidMessageError'

  constructor(message = 'The message is not valid', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidMessageError'
  }
}

/** Thrown when an envelope is larger than the size limit; raised before any decoding. */
export class MessageTooLargeError extends Error {
  static override name = 'MessageTooLargeError'

  constructor(message = 'The envelope is larger than the size limit', options?: ErrorOptions) {
    super(message, options)
    this.name = 'MessageTooLargeError'
  }
}

/** Thrown when envelope bytes do not decode to exactly `{ payload, publicKey, signature }` byte fields. */
export class InvalidEnvelopeError extends Error {
  static override name = 'InvalidEnvelopeError'

  constructor(message = 'The envelope is malformed', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidEnvelopeError'
  }
}

/** Thrown when an envelope's public key is not a well-formed Ed25519 public key. */
export class InvalidPublicKeyError extends Error {
  static override name = 'InvalidPublicKeyError'

  constructor(message = 'The public key is not a valid Ed25519 public key', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidPublicKeyError'
  }
}

/** Thrown when an envelope's signature does not verify against its payload and public key. */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'

  constructor(message = 'The signature does not match the payload and public key', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidSignatureError'
  }
}

/** Thrown when a function is called with an argument or option it cannot use. */
export class InvalidParametersError extends Error {
  static override name = 'InvalidParametersError'

  constructor(message = 'Invalid parameters', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidParametersError'
  }
}
