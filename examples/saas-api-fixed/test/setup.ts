// Dummy values for the test run only; real ones come from Secrets Manager (src/secrets.ts).
Object.assign(process.env, {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  APP_URL: "https://app.test.acme.io",
  CORS_ORIGINS: "https://app.test.acme.io",
  DATABASE_URL: "postgres://acme@localhost:5432/acme_test",
  REDIS_URL: "redis://localhost:6379/1",
  JWT_SECRET: "test-jwt-secret-not-used-anywhere-else",
  SESSION_SECRET: "test-session-secret-not-used-anywhere",
  CSRF_SECRET: "test-csrf-secret-not-used-anywhere-else",
  STRIPE_SECRET_KEY: "sk_test_placeholder",
  STRIPE_WEBHOOK_SECRET: "whsec_test_placeholder",
  STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_test_connect_placeholder",
  STRIPE_PRICE_STARTER: "price_test_starter",
  STRIPE_PRICE_PRO: "price_test_pro",
  STRIPE_PRICE_BUSINESS: "price_test_business",
  POSTMARK_TOKEN: "test-postmark-token",
});
