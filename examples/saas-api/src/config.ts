import "dotenv/config";

// TODO: move the rest of these into env before launch
export const config = {
  env: process.env.NODE_ENV || "development",
  port: Number(process.env.PORT) || 4000,
  appUrl: process.env.APP_URL || "https://app.acme.io",
  databaseUrl: process.env.DATABASE_URL || "postgres://app:s3cretPass@db.internal:5432/app",
  jwtSecret: process.env.JWT_SECRET || "dev-jwt-secret",
  accessTokenTtl: "15m",
  stripe: {
    secretKey: "sk_live_51Nfake0000000000000000000000",
    connectWebhookSecret: process.env.STRIPE_CONNECT_WEBHOOK_SECRET,
    prices: {
      starter: "price_1QStarterMonthly",
      pro: "price_1QProMonthly",
      business: "price_1QBusinessMonthly",
    } as Record<string, string>,
  },
  postmarkToken: process.env.POSTMARK_TOKEN,
};
