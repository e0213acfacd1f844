// A fake /sys/class/power_supply for the governor's pause on battery: the runtime reads whatever
// folder it is given, so a test can plug and unplug the machine.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExecutionContext } from 'ava'
import { temporaryDir } from './paths.ts'

export interface FakePowerSupply {
  /** The folder to pass as `powerSupplyDir`. */
  dir: string
  /** On mains (charging) or on battery (discharging). */
  set(mains: boolean): Promise<void>
}

/** A mains adapter and a battery, on mains, in a folder removed when the test ends. */
export async function fakePowerSupply(t: ExecutionContext): Promise<FakePowerSupply> {
  const dir = await temporaryDir(t)
  await mkdir(join(dir, 'AC'))
  await mkdir(join(dir, 'BAT0'))
  await writeFile(join(dir, 'AC', 'type'), 'Mains\n')
  await writeFile(join(dir, 'BAT0', 'type'), 'Battery\n')
  const set = async (mains: boolean): Promise<void> => {
    await writeFile(join(dir, 'AC', 'online'), mains ? '1\n' : '0\n')
    await writeFile(join(dir, 'BAT0', 'status'), mains ? 'Charging\n' : 'Discharging\n')
  }
  await set(true)
  return { dir, set }
}
