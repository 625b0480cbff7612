/** Flags whose values are secrets: never recorded in clear (report run.commandLine, logs). */
const SECRET_FLAGS = ['--password', '--community', '--communities-inline', '--sign-key-pass', '--auth-key', '--priv-key', '--secret']

/** The command line as recorded in evidence: secret flag values and URI user info masked. */
export function redactCommandLine(argv: readonly string[]): string {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    if (SECRET_FLAGS.includes(flag)) {
      if (eq > 0) out.push(`${flag}=***`)
      else {
        out.push(flag)
        if (i + 1 < argv.length) {
          out.push('***')
          i++
        }
      }
      continue
    }
    out.push(arg.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@'))
  }
  return out.map(shellQuote).join(' ')
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./*-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}
