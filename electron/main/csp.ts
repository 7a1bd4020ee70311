/**
 * The renderer's Content-Security-Policy, sent as a header by both shells (Electron and the
 * browser shell) and repeated as a meta tag in renderer/index.html. No Electron import here:
 * the browser shell uses it under plain Node.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
