/** Thrown when a flag or argument is malformed: a bad duration, JSON that does not parse, a file that cannot be read. */
export class UsageError extends Error {
  static override name = 'UsageError'

  constructor(message = 'A flag or argument is malformed', options?: ErrorOptions) {
    super(message, options)
    this.name = 'UsageError'
  }
}

/** Thrown when `p2pc init` would overwrite something. */
export class FolderNotEmptyError extends Error {
  static override name = 'FolderNotEmptyError'

  constructor(message = 'The folder is not empty') {
    super(message)
    this.name = 'FolderNotEmptyError'
  }
}

/** Thrown when the data dir's saved network (`network.json`) is not a list of peer multiaddrs. */
export class NetworkFileError extends Error {
  static override name = 'NetworkFileError'

  constructor(message = 'The saved network is not a list of peer multiaddrs', options?: ErrorOptions) {
    super(message, options)
    this.name = 'NetworkFileError'
  }
}
