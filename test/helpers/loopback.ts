import {randomInt} from 'node:crypto'

/**
 * A loopback address of its own (all of 127.0.0.0/8 is loopback on Linux): a bare-host scan of it sees only what
 * the test bound there plus the machine's wildcard (0.0.0.0) listeners, however many other tests run at once.
 */
export function freshLoopback(): string {
  return `127.${randomInt(100, 250)}.${randomInt(0, 256)}.${randomInt(1, 255)}`
}
