/**
 * E-mail addresses: a practical RFC 5322 subset (dot-atom local part, dotted domain, alphabetic TLD of 2+ letters).
 * Not personal, so not reported: role mailboxes (admin@, support@, noreply@ …) and placeholders (me@, user@), asset names that only look
 * like addresses (icon@2x.png, a TLD that is a file extension), URL user info (ftp://user:pw@host) and long hex
 * keys before an @ (error-reporting DSNs).
 */
import {continuesAfter} from './boundaries.js'
import type {PiiSpan} from './types.js'

// Bounded quantifiers keep the scan linear on hostile input (a 1 MiB run of letters without an @).
const EMAIL_RE =
  /(?<![A-Za-z0-9._%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9\-])/g

const ROLE_MAILBOXES = new Set([
  'abuse', 'admin', 'administrator', 'billing', 'contact', 'do-not-reply', 'donotreply', 'git', 'hello', 'help',
  'helpdesk', 'hostmaster', 'info', 'legal', 'mailer-daemon', 'marketing', 'noc', 'nobody', 'no-reply', 'noreply',
  'office', 'postmaster', 'press', 'privacy', 'root', 'sales', 'security', 'service', 'support', 'sysadmin', 'team',
  'webmaster',
  // placeholders shipped in default configurations and forms (Debian snmpd: "Me <me@example.org>")
  'unsubscribe', 'bounce', 'bounces', 'newsletter', 'list', 'lists', 'mailer',
  'me', 'you', 'user', 'username', 'someone', 'name', 'email', 'yourname', 'your.name', 'your-name',
])

const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'avif', 'css', 'js', 'mjs', 'map', 'json', 'html', 'htm',
  'xml', 'txt', 'log', 'bak', 'cfg', 'conf', 'ini', 'tmp', 'old', 'woff', 'woff2', 'ttf', 'eot', 'otf', 'pdf', 'zip', 'gz', 'tgz', 'bin', 'img', 'cgi', 'php', 'asp',
])

/** The text before an @ that makes it URL user info, not an address. */
const URL_USERINFO_BEFORE = /[a-z][a-z0-9+.\-]*:\/\/[^\s/@]*$/i

export function isReportableEmail(email: string): boolean {
  const at = email.lastIndexOf('@')
  const local = email.slice(0, at).toLowerCase()
  const domain = email.slice(at + 1).toLowerCase()
  const labels = domain.split('.')
  const tld = labels[labels.length - 1] ?? ''
  if (local.endsWith('.') || local.includes('..')) return false
  // Exact role names only ("support+tag" included): "office.printer.user42" is somebody's address.
  if (ROLE_MAILBOXES.has(local) || ROLE_MAILBOXES.has(local.split('+')[0] ?? '')) return false
  if (FILE_EXTENSIONS.has(tld)) return false
  if (/^\d+(?:\.\d+)?x$/.test(labels[0] ?? '')) return false
  if (/^[0-9a-f]{16,}$/.test(local)) return false
  return true
}

export function findEmails(text: string): PiiSpan[] {
  const out: PiiSpan[] = []
  for (const m of text.matchAll(EMAIL_RE)) {
    const start = m.index
    const end = start + m[0].length
    // "jane@example.com.au" is matched whole; "jane@example.com.backup" continues the token: not an address.
    if (continuesAfter(text, end, '.')) continue
    if (URL_USERINFO_BEFORE.test(text.slice(Math.max(0, start - 256), start))) continue
    if (!isReportableEmail(m[0])) continue
    out.push({type: 'email', start, end, value: m[0]})
  }
  return out
}

export function normaliseEmail(email: string): string {
  return email.toLowerCase()
}
