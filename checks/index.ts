import type {AnyCheck, Check} from '../src/checks/types.js'

import {check as identityDeclaredMismatch} from './identity/declared-mismatch.js'
import {check as sshHostkeyShared} from './identity/ssh-hostkey-shared.js'
import {check as tlsCertSharedDeviceKey} from './identity/tls-shared-device-key.js'

import {check as credAuthNotEnforced} from './cred/auth-not-enforced.js'
import {check as credBruteforceUnthrottled} from './cred/bruteforce-unthrottled.js'
import {check as credDefaultHttp} from './cred/default-http.js'
import {check as credDefaultMqtt} from './cred/default-mqtt.js'
import {check as credDefaultSsh} from './cred/default-ssh.js'
import {check as credDefaultTelnet} from './cred/default-telnet.js'
import {check as credWeakDictionary} from './cred/weak-dictionary.js'
import {check as httpAdminNoHttps} from './http/admin-no-https.js'
import {check as httpCookieHttponlyMissing} from './http/cookie-httponly-missing.js'
import {check as httpCookieSamesiteMissing} from './http/cookie-samesite-missing.js'
import {check as httpCookieSecureMissing} from './http/cookie-secure-missing.js'
import {check as httpHeadersMissing} from './http/headers-missing.js'
import {check as httpHstsMissing} from './http/hsts-missing.js'
import {check as httpUnauthSensitiveEndpoint} from './http/unauth-sensitive-endpoint.js'
import {check as piiHttpCleartextCredentials} from './pii/http-cleartext-credentials.js'
import {check as piiHttpCleartextPersonalData} from './pii/http-cleartext-personal-data.js'
import {check as piiSnmpContactLocation} from './snmp/pii-contact-location.js'
import {check as snmpCommunityDefaultRo} from './snmp/community-default-ro.js'
import {check as snmpCommunityWrite} from './snmp/community-write.js'
import {check as snmpSysmibDisclosure} from './snmp/sysmib-disclosure.js'
import {check as snmpV1v2cEnabled} from './snmp/v1v2c-enabled.js'
import {check as snmpV3Noauthnopriv} from './snmp/v3-noauthnopriv.js'
import {check as snmpV3WeakCrypto} from './snmp/v3-weak-crypto.js'
import {check as sshAuthNone} from './ssh/auth-none.js'
import {check as sshAuthPasswordOnly} from './ssh/auth-password-only.js'
import {check as sshBannerVersionDisclosure} from './svc/banner-version-disclosure.js'
import {check as sshCipherWeak} from './ssh/cipher-weak.js'
import {check as sshHostkeyWeak} from './ssh/hostkey-weak.js'
import {check as sshKexWeak} from './ssh/kex-weak.js'
import {check as sshMacWeak} from './ssh/mac-weak.js'
import {check as sshProtocolV1} from './ssh/protocol-v1.js'
import {check as svcFtpAnonymous} from './svc/ftp-anonymous.js'
import {check as svcFtpCleartextAuth} from './svc/ftp-cleartext-auth.js'
import {check as svcTelnetExposed} from './svc/telnet-exposed.js'
import {check as svcExposedInsecureProtocol} from './svc/exposed-insecure-protocol.js'
import {check as svcExposedUndeclared} from './svc/exposed-undeclared.js'
import {check as mqttAuthAnonymous} from './mqtt/auth-anonymous.js'
import {check as rtspAuthNone} from './rtsp/auth-none.js'
import {check as coapUnauthDiscovery} from './coap/unauth-discovery.js'
import {check as upnpSsdpExposed} from './upnp/ssdp-exposed.js'
import {check as inputHttpMalformedRequest} from './input/http-malformed-request.js'
import {check as upnpIgdControlExposed} from './upnp/igd-control-exposed.js'
import {check as ntpMode6Exposed} from './ntp/mode6-exposed.js'
import {check as rtspCleartextBasic} from './rtsp/cleartext-basic.js'
import {check as mqttCleartext} from './mqtt/cleartext.js'
import {check as mqttSubscriptionExposed} from './mqtt/subscription-exposed.js'
import {check as certExpired} from './tls/cert-expired.js'
import {check as certHostnameMismatch} from './tls/cert-hostname-mismatch.js'
import {check as certLifetimeExcessive} from './tls/cert-lifetime-excessive.js'
import {check as certNotYetValid} from './tls/cert-not-yet-valid.js'
import {check as certUntrustedChain} from './tls/cert-untrusted-chain.js'
import {check as certWeakKey} from './tls/cert-weak-key.js'
import {check as certWeakSignature} from './tls/cert-weak-signature.js'
import {check as cipherAnon} from './tls/cipher-anon.js'
import {check as cipherCbcWithoutEtm} from './tls/cipher-cbc-without-etm.js'
import {check as cipherNoForwardSecrecy} from './tls/cipher-no-forward-secrecy.js'
import {check as cipherNullOrExport} from './tls/cipher-null-or-export.js'
import {check as cipherPolicy} from './tls/cipher-policy.js'
import {check as cipherRc4} from './tls/cipher-rc4.js'
import {check as cipherWeak} from './tls/cipher-weak.js'
import {check as compressionEnabled} from './tls/compression-enabled.js'
import {check as emsMissing} from './tls/ems-missing.js'
import {check as kexNoPqHybrid} from './tls/kex-no-pq-hybrid.js'
import {check as kexWeakDh} from './tls/kex-weak-dh.js'
import {check as kexWeakEcGroup} from './tls/kex-weak-ec-group.js'
import {check as legacyEnabled} from './tls/legacy-enabled.js'
import {check as protocolPolicy} from './tls/protocol-policy.js'
import {check as renegInsecure} from './tls/reneg-insecure.js'
import {check as sslv2Enabled} from './tls/sslv2-enabled.js'
import {check as sslv3Enabled} from './tls/sslv3-enabled.js'
import {check as tls12Missing} from './tls/tls12-missing.js'

const TLS_CHECKS: readonly Check[] = [
  certExpired,
  certHostnameMismatch,
  certLifetimeExcessive,
  certNotYetValid,
  certUntrustedChain,
  certWeakKey,
  certWeakSignature,
  cipherAnon,
  cipherCbcWithoutEtm,
  cipherNoForwardSecrecy,
  cipherNullOrExport,
  cipherPolicy,
  cipherRc4,
  cipherWeak,
  compressionEnabled,
  emsMissing,
  kexNoPqHybrid,
  kexWeakDh,
  kexWeakEcGroup,
  legacyEnabled,
  protocolPolicy,
  renegInsecure,
  sslv2Enabled,
  sslv3Enabled,
  tls12Missing,
]

const SNMP_CHECKS: readonly Check[] = [
  piiSnmpContactLocation,
  snmpCommunityDefaultRo,
  snmpCommunityWrite,
  snmpSysmibDisclosure,
  snmpV1v2cEnabled,
  snmpV3Noauthnopriv,
  snmpV3WeakCrypto,
]

const SSH_CHECKS: readonly Check[] = [
  sshAuthNone,
  sshAuthPasswordOnly,
  sshBannerVersionDisclosure,
  sshCipherWeak,
  sshHostkeyWeak,
  sshKexWeak,
  sshMacWeak,
  sshProtocolV1,
]

const CRED_CHECKS: readonly Check[] = [credAuthNotEnforced, credBruteforceUnthrottled, credDefaultHttp, credDefaultMqtt, credDefaultSsh, credDefaultTelnet, credWeakDictionary]

const SVC_CHECKS: readonly Check[] = [svcFtpAnonymous, svcFtpCleartextAuth, svcTelnetExposed]

/** Device-level attack surface (device scope). */
const EXPOSURE_CHECKS: readonly AnyCheck[] = [svcExposedInsecureProtocol, svcExposedUndeclared]

const MQTT_CHECKS: readonly Check[] = [mqttAuthAnonymous, mqttCleartext, mqttSubscriptionExposed]

const RTSP_CHECKS: readonly Check[] = [rtspAuthNone, rtspCleartextBasic]

const COAP_CHECKS: readonly Check[] = [coapUnauthDiscovery]

const UPNP_CHECKS: readonly Check[] = [upnpIgdControlExposed, upnpSsdpExposed]

const NTP_CHECKS: readonly Check[] = [ntpMode6Exposed]

/** Input validation (robustness against malformed input; intrusive). */
const INPUT_CHECKS: readonly Check[] = [inputHttpMalformedRequest]

/** Device identity (device scope) and keys shared across a batch (batch scope). */
const IDENTITY_CHECKS: readonly AnyCheck[] = [identityDeclaredMismatch, sshHostkeyShared, tlsCertSharedDeviceKey]

const HTTP_CHECKS: readonly Check[] = [
  httpAdminNoHttps,
  httpCookieHttponlyMissing,
  httpCookieSamesiteMissing,
  httpCookieSecureMissing,
  httpHeadersMissing,
  httpHstsMissing,
  httpUnauthSensitiveEndpoint,
  piiHttpCleartextCredentials,
  piiHttpCleartextPersonalData,
]

/** Throws at import when two checks share an id (a registration mistake, never a runtime condition). */
function indexChecks(checks: readonly AnyCheck[]): Map<string, AnyCheck> {
  const byId = new Map<string, AnyCheck>()
  for (const c of checks) {
    if (byId.has(c.id)) throw new Error(`duplicate check id: ${c.id}`)
    byId.set(c.id, c)
  }
  return byId
}

const BY_ID = indexChecks([...CRED_CHECKS, ...HTTP_CHECKS, ...IDENTITY_CHECKS, ...EXPOSURE_CHECKS, ...MQTT_CHECKS, ...RTSP_CHECKS, ...COAP_CHECKS, ...UPNP_CHECKS, ...INPUT_CHECKS, ...NTP_CHECKS, ...SNMP_CHECKS, ...SSH_CHECKS, ...SVC_CHECKS, ...TLS_CHECKS])

/** Every check module, sorted by id. */
export const ALL_CHECKS: readonly AnyCheck[] = Object.freeze(
  [...BY_ID.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
)

export function checkById(id: string): AnyCheck | undefined {
  return BY_ID.get(id)
}
