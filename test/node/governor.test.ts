import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import { temporaryDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'

test("a contributor's status says when its governor pauses it on battery", async (t) => {
  const power = await temporaryDir(t)
  await mkdir(join(power, 'AC'))
  await mkdir(join(power, 'BAT0'))
  await writeFile(join(power, 'AC', 'type'), 'Mains\n')
  await writeFile(join(power, 'BAT0', 'type'), 'Battery\n')
  const plug = async (mains: boolean): Promise<void> => {
    await writeFile(join(power, 'AC', 'online'), mains ? '1\n' : '0\n')
    await writeFile(join(power, 'BAT0', 'status'), mains ? 'Charging\n' : 'Discharging\n')
  }
  await plug(false)
  const peer = await startPeer(t, {
    contribute: true,
    threads: 1,
    governor: { onBattery: 'pause', powerSupplyDir: power, powerCheckMs: 50 },
  })
  const until = async (paused: string | undefined): Promise<void> => {
    for (let waited = 0; peer.status().paused !== paused; waited += 50) {
      if (waited > 10_000) throw new Error(`status never said paused: ${paused}`)
      await sleep(50)
    }
  }
  await until('on-battery')
  t.is(peer.status().paused, 'on-battery')
  await plug(true)
  await until(undefined)
  t.is(peer.status().paused, undefined)
})
