/**
 * Personal names, only in JSON fields named for a person (name, firstName, lastName, surname, fullName, owner,
 * contact, user_name …) and only when the value reads like a human name: 1–4 words of letters, each
 * capitalised (particles such as "van", "de" excepted), no digits, dots of hostnames or inner capitals of
 * product names ("iPhone", "TP-LINK"), and no word that names a thing or role (admin, root, default, router,
 * kitchen …). A lone word under a generic key ("name", "owner") counts only if it is a common given name,
 * because single-word "name" fields are mostly interfaces, SSIDs and rooms.
 */
import type {PiiSpan} from './types.js'

/** Keys naming one part of a person's name (normalised: lower case, no '_' '-'): one capitalised word is enough. */
const NAME_PART_KEYS = new Set(['firstname', 'givenname', 'lastname', 'surname', 'familyname', 'middlename'])
/** Keys that may hold a person's name but also device, room or account names (normalised). */
const GENERIC_NAME_KEYS = new Set([
  'name', 'fullname', 'displayname', 'owner', 'ownername', 'contact', 'contactname', 'username', 'realname',
  'person', 'personname', 'customer', 'customername', 'subscriber', 'subscribername', 'holder', 'accountholder',
])

const PARTICLES = new Set(['van', 'von', 'de', 'der', 'den', 'da', 'di', 'du', 'del', 'della', 'la', 'le', 'bin', 'binti', 'al', 'el', 'ter', 'ten'])

/** Words that make a value a thing, place or role rather than a person. */
const NOT_NAME_WORDS = new Set(
  (
    'admin administrator root default user guest test demo operator support system sys service superuser manager ' +
    'none null unknown anonymous nobody everyone public private owner contact name example sample ' +
    'router gateway modem switch bridge camera cam printer phone tv television speaker display hub sensor device ' +
    'network net wifi wlan lan wan dmz vpn internet ethernet bluetooth hotspot mesh extender repeater access point ' +
    'port interface vlan bond loopback tunnel firmware hardware software version model serial update backup ' +
    'home office kitchen living room bedroom garage garden hall lobby basement attic bathroom study den lounge ' +
    'lab floor building rack server storage nas media cloud group team family kids parents staff main primary ' +
    'secondary work school upstairs downstairs front back door window light lamp thermostat plug outlet ' +
    'north south east west central left right red blue profile schedule rule policy ' +
    'enabled disabled auto manual on off yes no true false ok error status ' +
    // vendor and product words that read like names ("Philips Hue", "Nest Mini")
    'philips hue sonos nest echo alexa google amazon apple samsung sony roku ring arlo netgear linksys asus ' +
    'ubiquiti cisco huawei xiaomi ikea tradfri fritz mini max pro plus lite smart'
  ).split(' '),
)

/** Common given names, for a one-word value under a generic key (a short list; misses are acceptable). */
const GIVEN_NAMES = new Set(
  (
    'aaron adam adrian ahmed aisha alan albert alex alexander alexandra alice amanda amy ana andrea andrew angela ' +
    'anna anne anthony antonio barbara ben benjamin beth bob brian carl carlos carol caroline catherine charles ' +
    'charlotte chris christian christina christine christopher claire daniel david deborah dennis diana donald ' +
    'dorothy edward elena elizabeth emily emma eric eva fatima frank gary george grace hannah harry helen henry ian ' +
    'isabel jack jacob james jane janet jason jean jeff jennifer jessica jim joan joe john jonathan jose joseph juan ' +
    'judy julia julie karen kate kenneth kevin laura linda lisa lucy luis maria mark martin mary matthew michael ' +
    'michelle mike mohammed nancy nicholas nicole oliver olga patricia patrick paul peter rachel raj rebecca richard ' +
    'robert ryan sam samuel sandra sarah scott sharon sophie stephen steve steven susan thomas tim tom tony victoria ' +
    'wei william yuki zoe'
  ).split(' '),
)

/** One name word: a capital then lower-case letters, with ' or - joining parts ("O'Neil", "Mary-Ann", "McDonald"). */
const NAME_WORD = /^(?:\p{Lu}['’]|Mc|Mac)?\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*$/u

export type NameKeyKind = 'part' | 'generic'

/** Whether a JSON key names a person (case-insensitive; camelCase, snake_case and kebab-case alike). */
export function nameKeyKind(key: string): NameKeyKind | undefined {
  const k = key.toLowerCase().replace(/[_\-\s]/g, '')
  if (NAME_PART_KEYS.has(k)) return 'part'
  if (GENERIC_NAME_KEYS.has(k)) return 'generic'
  return undefined
}

export function looksLikePersonName(value: string, kind: NameKeyKind): boolean {
  const v = value.trim()
  if (v.length < 2 || v.length > 80) return false
  const words = v.split(/[ \t]+/)
  if (words.length > 4) return false
  let nameWords = 0
  for (const w of words) {
    if (PARTICLES.has(w)) continue
    if (!NAME_WORD.test(w)) return false
    if (NOT_NAME_WORDS.has(w.toLowerCase())) return false
    nameWords++
  }
  if (nameWords === 0) return false
  if (kind === 'part') return true
  if (nameWords >= 2) return true
  return GIVEN_NAMES.has(v.toLowerCase())
}

/** The value as one span when it is a person's name under a name-like key. */
export function findPersonName(key: string, value: string): PiiSpan | undefined {
  const kind = nameKeyKind(key)
  if (kind === undefined || !looksLikePersonName(value, kind)) return undefined
  return {type: 'person-name', start: 0, end: value.length, value: value.trim()}
}

export function normalisePersonName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}
