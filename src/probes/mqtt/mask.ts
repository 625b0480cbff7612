/** Topic names can carry names, addresses, device serials: keep the shape, mask each level. `$SYS` stays. */
export function maskTopic(topic: string): string {
  return topic
    .split('/')
    .map((level, i) => (i === 0 && level === '$SYS' ? level : level === '' ? '' : `${[...level][0]}***`))
    .join('/')
}
