import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import { fakePowerSupply } from '../helpers/power-supply.ts'
import { startPeer } from '../helpers/peers.ts'

test("a contributor's status says when its governor pauses it on battery", async (t) => {
  const power = await fakePowerSupply(t)
  const plug = power.set
  await plug(false)
  const peer = await startPeer(t, {
    contribute: true,
    threads: 1,
    governor: { onBattery: 'pause', powerSupplyDir: power.dir, powerCheckMs: 50 },
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
