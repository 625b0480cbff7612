// node-forge's ASN.1 module on its own: the full `node-forge` entry loads every cipher and PKI module
// (~70 ms of start-up), while certificate parsing needs only the DER reader.
declare module 'node-forge/lib/asn1.js' {
  import type forge from 'node-forge'
  const asn1: typeof forge.asn1
  export default asn1
}
