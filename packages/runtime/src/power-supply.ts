/**
 * Whether the machine runs on battery, from the kernel's power supply class
 * (/sys/class/power_supply on Linux): each supply is a folder with a `type` file (Mains, USB,
 * Battery…) and an `online` (external supplies) or `status` (batteries) file.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Where Linux lists the power supplies. */
export const POWER_SUPPLY_DIR = '/sys/class/power_supply'

/**
 * True when no external supply is online and a battery is discharging. A machine without the
 * folder (a desktop with no battery, a container, macOS, Windows) is taken to be on mains.
 */
export async function onBatteryPower(dir: string = POWER_SUPPLY_DIR): Promise<boolean> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return false
  }
  let discharging = false
  for (const name of names) {
    const type = await readSupplyFile(dir, name, 'type')
    if (type === 'Battery') {
      if ((await readSupplyFile(dir, name, 'status')) === 'Discharging') discharging = true
    } else if ((await readSupplyFile(dir, name, 'online')) === '1') {
      // Mains, or USB-C or wireless charging: any external supply means the machine is plugged in.
      return false
    }
  }
  return discharging
}

async function readSupplyFile(dir: string, supply: string, file: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, supply, file), 'utf8')).trim()
  } catch {
    return undefined
  }
}
