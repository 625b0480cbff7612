import forge from 'node-forge'

let cached: {key: string; cert: string; der: Buffer} | undefined

/** A self-signed RSA-2048 certificate for CN=localhost (generated once per process). */
export function selfSignedRsa(): {key: string; cert: string; der: Buffer} {
  if (cached) return cached
  const keys = forge.pki.rsa.generateKeyPair({bits: 2048, e: 0x10001})
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = '01'
  cert.validity.notBefore = new Date(Date.now() - 86400_000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 86400_000)
  const attrs = [{name: 'commonName', value: 'localhost'}]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.setExtensions([{name: 'subjectAltName', altNames: [{type: 2, value: 'localhost'}, {type: 7, ip: '127.0.0.1'}]}])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  const pem = forge.pki.certificateToPem(cert)
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')
  cached = {key: forge.pki.privateKeyToPem(keys.privateKey), cert: pem, der}
  return cached
}
