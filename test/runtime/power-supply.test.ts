import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { onBatteryPower } from '../../packages/runtime/src/power-supply.ts'
import { temporaryDir } from '../helpers/paths.ts'

/** A power supply folder as Linux lays it out: one folder per supply, one file per property. */
async function supplies(
  t: ExecutionContext,
  layout: Record<string, Record<string, string>>,
): Promise<string> {
  const dir = await temporaryDir(t)
  for (const [supply, files] of Object.entries(layout)) {
    await mkdir(join(dir, supply))
    for (const [file, value] of Object.entries(files)) await writeFile(join(dir, supply, file), `${value}\n`)
  }
  return dir
}

test('a discharging battery with the mains adapter offline is battery power', async (t) => {
  const dir = await supplies(t, {
    AC: { type: 'Mains', online: '0' },
    BAT0: { type: 'Battery', status: 'Discharging' },
  })
  t.true(await onBatteryPower(dir))
})

test('any external supply online is mains power, whatever the battery says', async (t) => {
  for (const type of ['Mains', 'USB']) {
    const dir = await supplies(t, {
      ADP1: { type, online: '1' },
      BAT0: { type: 'Battery', status: 'Discharging' },
    })
    t.false(await onBatteryPower(dir), type)
  }
  const charging = await supplies(t, { BAT0: { type: 'Battery', status: 'Charging' } })
  t.false(await onBatteryPower(charging))
})

test('no power supply folder, or an empty one, is mains power', async (t) => {
  t.false(await onBatteryPower(join(await temporaryDir(t), 'missing')))
  t.false(await onBatteryPower(await temporaryDir(t)))
})
