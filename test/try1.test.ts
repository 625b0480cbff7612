import {it} from 'vitest'
import {startLab} from '../src/lab/index.js'
import {scan} from '../src/engine/scan.js'
it('try', async () => {
  const lab = await startLab({devices: ['home-router']})
  const d = lab.devices[0]
  console.log(d.targets)
  const host = new URL(d.targets[0]).hostname
  const t0 = Date.now()
  const r = await scan({targets: [host], timeoutMs: 2000})
  console.log('ms', Date.now() - t0)
  const dev = r.devices[0]
  console.log(dev.services.map((s) => s.id))
  for (const o of dev.observations) if (['net.ports','net.services','ntp.control','upnp.igd'].includes(o.probe)) console.log(o.probe, JSON.stringify(o.data).slice(0, 1500), o.error, o.partial)
  for (const f of dev.findings) console.log(f.check, f.outcome, f.message.slice(0, 200))
  await lab.stop()
}, 120000)
