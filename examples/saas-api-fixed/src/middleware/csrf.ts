import { doubleCsrf } from "csrf-csrf";
import { config } from "../config";

const isProduction = config.env === "production";

export const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
  getSecret: () => config.csrfSecret,
  getSessionIdentifier: (req) => req.session.id,
  cookieName: isProduction ? "__Host-acme.x-csrf-token" : "acme.x-csrf-token",
  cookieOptions: { sameSite: "lax", secure: isProduction, httpOnly: true, path: "/" },
  getCsrfTokenFromRequest: (req) => req.headers["x-csrf-token"],
  // Bearer-token clients (CLI, integrations) send no cookies, so a cross-site form cannot act for them
  skipCsrfProtection: (req) => Boolean(req.headers.authorization?.startsWith("Bearer ")),
});
