import {randomInt} from 'node:crypto'

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
