import pino from "pino";

// Reads process.env directly: it is used before secrets are loaded and config is parsed.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "acme-api", release: process.env.GIT_SHA },
  redact: {
    paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.refreshToken", "*.token"],
    censor: "[redacted]",
  },
  ...(process.env.NODE_ENV === "development" ? { transport: { target: "pino-pretty" } } : {}),
});
