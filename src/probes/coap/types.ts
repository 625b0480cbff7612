/** CoAP observation: what GET /.well-known/core returns to an unauthenticated client over plain UDP. */
export const P_COAP_DISCOVERY = 'coap.discovery'

export interface CoapDiscoveryData {
  /** The reply's code (2.05 Content, 4.01 Unauthorized, 4.04 …). */
  code: string
  /** Resource paths listed (link-format targets), at most 100. */
  resources: string[]
  /** The reply announced further blocks (Block2 M flag) that were not fetched. */
  truncated: boolean
}
