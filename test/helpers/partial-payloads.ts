/**
 * What each probe emits when it stopped early or saw only part of what it looks for: the payloads the
 * all-checks meta-test (test/unit/checks-no-pass-without-evidence.test.ts) feeds every check that reads them,
 * besides `data: {}`. A probe a check reads must have an entry here (the meta-test says so), even an empty list.
 */
const noAnomalies = {malformed: 0, oversized: 0, unmatched: 0, foreign: 0}
const sweep = {dataset: 'seclists-snmp', versions: ['v1', 'v2c'], requests: 0, responded: false, anomalies: noAnomalies, writeTest: {ran: false, results: []}}
const exchange = {method: 'GET', source: 'root', headers: {}, bodySha256: '', bodyLength: 0, truncated: false, contentType: '', excerpt: null, title: ''}

export const PARTIAL_PAYLOADS: Record<string, Array<Record<string, unknown>>> = {
  'tls.protocols': [{'TLSv1.2': false}],
  'tls.cipher-suites': [{'TLSv1.2': []}],
  'tls.cipher-preference': [{'TLSv1.2': {serverOrder: null}}],
  'tls.certificates': [{chain: [], hostnameMatch: false, matchedName: '', trusted: false}],
  // Stopped after the first handshakes: no extension, group or compression result recorded.
  'tls.key-exchange': [{groups: [], preferredGroup: null, dheBits: null}],
  // Banner read, KEXINIT never arrived.
  'ssh.kexinit': [{banner: '', protocolVersion: '', software: '', comments: '', preBannerLines: []}],
  'ssh.hostkeys': [{keys: []}, {keys: [{algorithm: 'ssh-ed25519', error: 'connection reset'}]}],
  'ssh.auth-methods': [{methods: [], noneAccepted: false}],
  // The sweep never started / was cut short; an accepted community whose SET never ran.
  'snmp.communities': [
    {...sweep, tried: 0, accepted: [], untried: 100},
    {...sweep, tried: 3, requests: 6, accepted: [], untried: 97},
    {...sweep, tried: 3, requests: 6, responded: true, accepted: [{credentialId: 'snmp-1', version: 'v2c', access: 'read'}], writeTest: {ran: true, results: []}, untried: 0},
  ],
  // A community was accepted but the read of the group failed.
  'snmp.system': [{readable: false, via: null, sysDescr: null, sysObjectID: null, sysUpTime: null, sysName: null, sysContact: null, sysLocation: null, pii: {total: 0, fields: []}}],
  'snmp.v3': [{discovered: false, engineId: null, noAuthUsers: [], credentialsSupplied: false, credentials: [], anomalies: noAnomalies}],
  'telnet.banner': [{banner: '', negotiatedOptions: []}],
  'ftp.session': [{banner: '', features: [], replies: []}],
  'http.exchanges': [{exchanges: [{...exchange, url: 'http://192.0.2.77/', status: 0, error: {code: 'timeout', message: 'no answer'}}], skipped: 20, offOrigin: []}],
  'http.surface': [{scheme: 'http', rootReachable: false, loginForms: [], authChallenges: []}],
  // Login found, cut off before the negative control was recorded; a control that errored.
  'cred.attempts': [
    {service: 'x', mechanism: 'http-basic', attempts: [], stoppedBy: 'budget', candidates: 10, lists: ['vendor-defaults'], delayMs: 0, budget: 0, throttling: {baselineMs: 1, attemptMs: [], maxMs: 1}},
    {service: 'x', mechanism: 'ssh-password', negativeControl: {result: 'error', reason: 'reset'}, attempts: [{service: 'x', credentialId: 'dc-1', result: 'error', at: '2026-06-01T12:00:00Z'}], stoppedBy: 'exhausted', candidates: 1, lists: ['vendor-defaults'], delayMs: 0, budget: 20, throttling: {baselineMs: 1, attemptMs: [1], maxMs: 1}},
  ],
  'cred.bruteforce': [{service: 'x', mechanism: 'ssh-password', attempts: 0, results: {rejected: 0, accepted: 0, error: 0, locked: 0}, attemptMs: [], slowdown: 0}],
  'coap.discovery': [{code: '', resources: [], truncated: true}],
  // Cut short after the first malformed request: the service was not asked again.
  'http.malformed-input': [{before: {status: 200, line: 'HTTP/1.1 200 OK'}, cases: [{id: 'bad-percent-encoding', sends: 'x', status: 400, line: 'HTTP/1.1 400 Bad Request'}]}],
  'mqtt.session': [{tls: false, attempts: []}, {tls: false, attempts: [{version: '3.1.1', credentials: 'none', result: 'error', reason: 'connection reset'}]}],
  'mqtt.subscription': [{connected: false, filters: [], windowMs: 0, messageCap: 0, messages: 0, retained: 0, topics: 0, sysTopics: 0, capped: false, pii: [], piiTopics: [], reason: 'connection reset'}],
  'rtsp.session': [{tls: false, methods: [], describes: []}, {tls: false, methods: [], describes: [{path: '/', status: 0, challenges: [], sdp: false}]}],
  'ssdp.discovery': [{replies: 0, amplification: 0, types: []}],
  'upnp.igd': [{igd: true, deviceTypes: [], wanServices: []}, {igd: true, deviceTypes: [], wanServices: [], control: {serviceType: '', controlUrl: '', action: 'GetExternalIPAddress', status: 0, responded: false, arguments: []}}],
  'ntp.control': [
    {client: {answered: true, version: 4, stratum: 2}, readstat: {answered: false, requestBytes: 12, responseBytes: 0, datagrams: 0, amplification: 0, complete: false, sent: 1}, readvar: {answered: false, requestBytes: 12, responseBytes: 0, datagrams: 0, amplification: 0, complete: false, sent: 0}, amplification: 0},
  ],
  'device.exposure': [{discovered: false, declared: null, exposed: [], notes: []}, {discovered: false, declared: ['tcp/22'], exposed: [], notes: []}],
  'device.identity': [{tls: [], ssh: [], snmp: [], http: [], banners: [], products: [], observed: {vendors: [], models: [], firmware: []}}],
}
