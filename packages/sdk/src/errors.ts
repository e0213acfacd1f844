/** Thrown when a module is not a usable workload: the message lists every problem found. */
export class InvalidWorkloadError extends Error {
  static override name = 'InvalidWorkloadError'

  constructor(message = 'The module is not a valid workload') {
    super(message)
    this.name = 'InvalidWorkloadError'
  }
}

/** Thrown when a seed is neither a finite number nor a string. */
export class InvalidSeedError extends Error {
  static override name = 'InvalidSeedError'

  constructor(message = 'A seed must be a finite number or a string') {
    super(message)
    this.name = 'InvalidSeedError'
  }
}
