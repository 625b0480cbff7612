import {spawn} from 'node:child_process'
import {randomInt} from 'node:crypto'
import {connect} from 'node:net'

/**
 * A loopback address of its own (all of 127.0.0.0/8 is loopback on Linux): a bare-host scan of it sees only what
 * the test bound there plus the machine's wildcard (0.0.0.0) listeners, however many other tests run at once.
 */
export function freshLoopback(): string {
  return `127.${randomInt(100, 250)}.${randomInt(0, 256)}.${randomInt(1, 255)}`
}

/** Of `ports` found open on `host`, those NOT also open on a fresh loopback address: a scan of a lab device may
 *  also see the machine's wildcard listeners, and nothing else. A port no longer open on `host` either was a
 *  wildcard listener of another test that has closed since (test files run in parallel): not the device's, whose
 *  listeners stay up for the whole test. */
export async function notWildcard(ports: readonly number[], host?: string): Promise<number[]> {
  const {tcpConnectOnce} = await import('../../src/engine/ports/tcp-connect.js')
  const elsewhere = freshLoopback()
  const out: number[] = []
  for (const p of ports) {
    if ((await tcpConnectOnce(elsewhere, 4, p, 2000)).state === 'open') continue
    if (host !== undefined && (await tcpConnectOnce(host, 4, p, 2000)).state !== 'open') continue
    out.push(p)
  }
  return out
}

/**
 * A TCP port of `host` that drops SYNs, as a filtering firewall would, reproducible on loopback without root: a
 * listener with a zero backlog that never accepts (perl, so it outlives nothing of ours), holding one queued
 * connection. The listener exits by itself after `seconds`; close() ends it sooner.
 */
export async function filteredLoopbackPort(host: string, seconds: number): Promise<{port: number; close(): void}> {
  const perl = spawn('perl', ['-MSocket', '-e', `socket(my $s, PF_INET, SOCK_STREAM, 0) or die; bind($s, pack_sockaddr_in(0, inet_aton("${host}"))) or die; listen($s, 0) or die; my ($p) = unpack_sockaddr_in(getsockname($s)); $| = 1; print "$p\\n"; sleep ${seconds}`])
  const port = await new Promise<number>((resolve, reject) => {
    perl.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())))
    perl.once('error', reject)
  })
  const held = connect({host, port})
  await new Promise((r) => held.once('connect', r))
  return {
    port,
    close: () => {
      held.destroy()
      perl.kill()
    },
  }
}
