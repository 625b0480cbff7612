/** Recognising a login prompt at the end of a Telnet server's pre-login text. Pure. */

/** A login, user name or password prompt at the end of a line: "login:", "Username:", "Password>" … */
const PROMPT = /(?:^|[\s([{'"-])(?:log ?in|log ?on|user ?name|user(?: ?id)?|account|password|passwd|pass ?code|pass ?word)\s*[:>]\s*$/i

/** The last non-empty line of `text` when it is a login prompt. */
export function findLoginPrompt(text: string): string | undefined {
  const lines = text.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim()
    if (line === '') continue
    return PROMPT.test(line) ? line.slice(0, 256) : undefined
  }
  return undefined
}
