/**
 * Interop: Debian miniupnpd (IGD:2, nftables backend) as the real Internet Gateway Device, cross-checked with
 * nmap's upnp-info and miniupnpd's own request log. miniupnpd needs an external and a LAN interface: the test
 * runs it in a user+network namespace of its own (`unshare --map-root-user --net`: no root needed, nothing
 * changes on the machine's network) with two veth pairs, ext0 (198.51.100.2, documentation range) and lan0
 * (192.168.77.1, private, namespace-local). The probe side runs in the same namespace
 * (test/interop/upnp-namespace-child.mts under tsx). Expected: discovery finds SSDP on 1900/udp and the HTTP
 * control port; the description is an IGD:2 with WANIPConnection:2; GetExternalIPAddress is answered without
 * credentials, so upnp.igd.control-exposed fails; miniupnpd logged that one read-only action and no other.
 * A missing miniupnpd/nmap fails the suite (apt-get install miniupnpd nmap).
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, expect, it} from 'vitest'

import {interopSuite, TOOLS, toolPath} from '../helpers/interop-tools.js'
import {lastJsonLine, runInNetNamespace} from '../helpers/netns.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const CHILD = fileURLToPath(new URL('./upnp-namespace-child.mts', import.meta.url))
const MARK = '----sg17-upnp----'
const LAN = '192.168.77.1'
const HTTP_PORT = 5000

interopSuite('UPnP IGD vs miniupnpd (in a network namespace, nmap upnp-info)', [TOOLS.miniupnpd, TOOLS.nmap, TOOLS.unshare, TOOLS.ip], () => {
  let dir: string
  let ours: Record<string, any>
  let nmap = ''
  let log = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sg17-upnp-'))
    const conf = join(dir, 'miniupnpd.conf')
    writeFileSync(conf, ['ext_ifname=ext0', 'listening_ip=lan0', `http_port=${HTTP_PORT}`, 'enable_natpmp=no', 'enable_upnp=yes', 'secure_mode=yes', 'uuid=3c0f7a2e-0000-4000-8000-0000000000aa', 'allow 1024-65535 192.168.77.0/24 1024-65535', 'deny 0-65535 0.0.0.0/0 0-65535', ''].join('\n'))
    const logFile = join(dir, 'miniupnpd.log')
    const script = [
      'ip link set lo up',
      'ip link add ext0 type veth peer name ext1 && ip link set ext1 up && ip addr add 198.51.100.2/24 dev ext0 && ip link set ext0 up',
      `ip link add lan0 type veth peer name lan1 && ip link set lan1 up && ip addr add ${LAN}/24 dev lan0 && ip link set lan0 up`,
      `${toolPath(TOOLS.miniupnpd)} -d -f ${conf} > ${logFile} 2>&1 &`,
      'P=$!',
      "trap 'kill $P 2>/dev/null' EXIT",
      // Bounded wait for its HTTP port (at most 5 s).
      `for i in $(seq 1 50); do ss -tln | grep -q ":${HTTP_PORT}" && break; sleep 0.1; done`,
      `cd ${REPO} && ${process.execPath} --import tsx ${CHILD} ${LAN} ${HTTP_PORT}`,
      `echo ${MARK}`,
      `${toolPath(TOOLS.nmap)} -n -sU -p 1900 --script upnp-info ${LAN} 2>&1`,
      `echo ${MARK}`,
      `cat ${logFile}`,
    ].join('\n')
    const {code, stdout: out, stderr} = await runInNetNamespace(script)
    if (!out.includes(MARK)) throw new Error(`namespace session failed (exit ${code}): ${out}\n${stderr}`)
    const [probe, nmapOut, logOut] = out.split(`${MARK}\n`)
    const report = lastJsonLine(probe)
    if (report === undefined) throw new Error(`no probe output: ${probe}`)
    ours = report as typeof ours
    nmap = nmapOut ?? ''
    log = logOut ?? ''
  }, 40_000)
  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('discovery finds SSDP on 1900/udp and the control port; the SSDP server and LOCATION match nmap upnp-info', () => {
    expect(ours.services).toEqual([`http://${LAN}:${HTTP_PORT}`, `ssdp://${LAN}:1900`])
    expect(ours.udp.open).toEqual([{port: 1900, state: 'open', reason: expect.any(String), protocol: 'ssdp'}])
    const server = /Server: (.+)$/m.exec(nmap)?.[1]?.trim()
    const location = /Location: (.+)$/m.exec(nmap)?.[1]?.trim()
    expect(server, nmap).toMatch(/MiniUPnPd\/2\./)
    expect(ours.ssdp.server).toBe(server)
    expect(ours.ssdp.description.location).toBe(location)
    expect(ours.ssdp.description).toMatchObject({status: 200, deviceType: 'urn:schemas-upnp-org:device:InternetGatewayDevice:2', manufacturer: expect.any(String)})
    // The serial number is masked, with its digest.
    expect(ours.ssdp.description.serialNumber).toMatch(/^\*+\w{0,2}$/)
    expect(ours.ssdp.description.serialSha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('GetExternalIPAddress is answered without credentials: upnp.igd.control-exposed fails; miniupnpd saw that one read-only action only', () => {
    expect(ours.igdError).toBeUndefined()
    expect(ours.igd).toMatchObject({igd: true, wanServices: ['urn:schemas-upnp-org:service:WANIPConnection:2']})
    expect(ours.igd.control).toMatchObject({controlUrl: `http://${LAN}:${HTTP_PORT}/ctl/IPConn`, action: 'GetExternalIPAddress', status: 200, responded: true, arguments: ['NewExternalIPAddress']})
    expect(ours.verdict.outcome).toBe('fail')
    const actions = [...log.matchAll(/SOAPAction: \S+#(\w+)/g)].map((m) => m[1])
    expect(actions).toEqual(['GetExternalIPAddress'])
  })
})
