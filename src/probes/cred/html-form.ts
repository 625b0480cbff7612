/** Finding a login form in an HTML page: the first <form> holding an <input type=password>. Pure. */

export interface LoginForm {
  action: string
  method: 'GET' | 'POST'
  usernameField?: string
  passwordField: string
  /** Hidden inputs sent back as they are (CSRF tokens). */
  hidden: Record<string, string>
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined
}

export function hasPasswordInput(html: string): boolean {
  return /<input\b[^>]*\stype\s*=\s*["']?password\b/i.test(html)
}

export function findLoginForm(html: string): LoginForm | undefined {
  const forms = html.slice(0, 256 * 1024).match(/<form\b[^>]*>[\s\S]*?<\/form\s*>/gi) ?? []
  for (const form of forms) {
    if (!hasPasswordInput(form)) continue
    const open = /<form\b[^>]*>/i.exec(form)![0]
    const inputs = form.match(/<input\b[^>]*>/gi) ?? []
    let passwordField: string | undefined
    let usernameField: string | undefined
    const hidden: Record<string, string> = {}
    for (const input of inputs) {
      const type = (attr(input, 'type') ?? 'text').toLowerCase()
      const name = attr(input, 'name')
      if (!name) continue
      if (type === 'password') passwordField ??= name
      else if (type === 'hidden') hidden[name] = attr(input, 'value') ?? ''
      else if ((type === 'text' || type === 'email') && usernameField === undefined) usernameField = name
    }
    if (!passwordField) continue
    const method = (attr(open, 'method') ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET'
    return {action: attr(open, 'action') ?? '', method, usernameField, passwordField, hidden}
  }
  return undefined
}

/** `action` resolved against the page path (same origin only; an absolute URL elsewhere is not followed). */
export function resolveAction(action: string, pagePath: string): string | undefined {
  try {
    const base = new URL(pagePath, 'http://device.invalid')
    const url = new URL(action || pagePath, base)
    if (url.origin !== base.origin) return undefined
    return url.pathname + url.search
  } catch {
    return undefined
  }
}
