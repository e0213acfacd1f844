/** Thrown when an option of `createMarket`, or an argument of a market method, is invalid. */
export class InvalidParametersError extends Error {
  static override name = 'InvalidParametersError'

  constructor(message = 'Invalid parameters') {
    super(message)
    this.name = 'InvalidParametersError'
  }
}

/** Thrown when a question names a job whose announce the market has not received. */
export class UnknownJobError extends Error {
  static override name = 'UnknownJobError'

  constructor(message = 'The market knows no announce for this job') {
    super(message)
    this.name = 'UnknownJobError'
  }
}
