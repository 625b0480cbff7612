import {randomInt} from 'node:crypto'

/**
 * A loopback address for one lab device (all of 127.0.0.0/8 is loopback on Linux). Random, so two labs running
 * at once (parallel tests, several developers) do not share one: a bare-host scan then sees one device only.
 */
export function ownLoopbackAddress(): string {
  return `127.${randomInt(100, 250)}.${randomInt(0, 256)}.${randomInt(1, 255)}`
}
