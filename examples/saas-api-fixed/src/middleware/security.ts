import helmet from "helmet";

// helmet's defaults: HSTS (max-age one year, includeSubDomains), nosniff, frameguard, a strict CSP
// for the few HTML responses, and no X-Powered-By.
export const securityHeaders = helmet();
