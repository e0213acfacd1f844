/** Thrown when no reachable peer holds a blob (a bundle, inputs, an output) that is needed. */
export class BlobNotFoundError extends Error {
  static override name = 'BlobNotFoundError'

  constructor(message = 'No peer has the blob') {
    super(message)
    this.name = 'BlobNotFoundError'
  }
}

/** Thrown when a job id is not known to this peer. */
export class UnknownJobError extends Error {
  static override name = 'UnknownJobError'

  constructor(message = 'The job is not known to this peer') {
    super(message)
    this.name = 'UnknownJobError'
  }
}

/** Thrown when the Peer is used before `start()` or after `stop()`. */
export class PeerNotStartedError extends Error {
  static override name = 'PeerNotStartedError'

  constructor(message = 'The peer is not started') {
    super(message)
    this.name = 'PeerNotStartedError'
  }
}

/** Thrown when an option is out of range. */
export class InvalidOptionError extends Error {
  static override name = 'InvalidOptionError'

  constructor(message = 'An option is invalid') {
    super(message)
    this.name = 'InvalidOptionError'
  }
}

/** Thrown when the peer cannot listen on one of its listen addresses: taken, not local, or of no transport it has. */
export class ListenError extends Error {
  static override name = 'ListenError'

  constructor(message = 'The peer cannot listen on its addresses', options?: ErrorOptions) {
    super(message, options)
    this.name = 'ListenError'
  }
}

/** Thrown when a peer starts on a data dir that another peer, in this process or another, holds. */
export class PeerAlreadyRunningError extends Error {
  static override name = 'PeerAlreadyRunningError'

  constructor(message = 'A peer already runs on this data dir') {
    super(message)
    this.name = 'PeerAlreadyRunningError'
  }
}

/** Thrown when the data dir's lock file is something else than the empty file p2pc locks. */
export class DataDirLockError extends Error {
  static override name = 'DataDirLockError'

  constructor(message = 'The lock file of the data dir cannot be used', options?: ErrorOptions) {
    super(message, options)
    this.name = 'DataDirLockError'
  }
}

/** Thrown (and the stream reset) when a peer opens more streams of a protocol at once than this peer serves it. */
export class TooManyStreamsError extends Error {
  static override name = 'TooManyStreamsError'

  constructor(message = 'Too many streams at once') {
    super(message)
    this.name = 'TooManyStreamsError'
  }
}

/** Thrown (and the stream reset) when a request on a stream is malformed or asks for more than one request may. */
export class BadRequestError extends Error {
  static override name = 'BadRequestError'

  constructor(message = 'The request is malformed') {
    super(message)
    this.name = 'BadRequestError'
  }
}

/** Thrown when a contributor's control (pause, finish, a job's suspend) is asked of a peer that does not contribute. */
export class NotContributingError extends Error {
  static override name = 'NotContributingError'

  constructor(message = 'This peer does not contribute') {
    super(message)
    this.name = 'NotContributingError'
  }
}

/** Thrown when a job aborted on this peer is to be resumed. */
export class JobAbortedError extends Error {
  static override name = 'JobAbortedError'

  constructor(message = 'The job was aborted on this peer') {
    super(message)
    this.name = 'JobAbortedError'
  }
}

/** Thrown when a peer is asked to cancel a job it did not publish: only a job's publisher may. */
export class NotPublisherError extends Error {
  static override name = 'NotPublisherError'

  constructor(message = 'Only its publisher can cancel a job') {
    super(message)
    this.name = 'NotPublisherError'
  }
}
