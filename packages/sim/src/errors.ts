/** Thrown when an option of `runSimulation` is invalid. */
export class InvalidSimulationOptionsError extends Error {
  static override name = 'InvalidSimulationOptionsError'

  constructor(message = 'Invalid simulation options') {
    super(message)
    this.name = 'InvalidSimulationOptionsError'
  }
}
