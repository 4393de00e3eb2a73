/**
 * The built-in checklist: every item of the production-readiness checklist
 * (shared/seed/production-readiness-checklist.md), in its tiers and sections, each with a stable id.
 * Ids are public API: the checklist file's markers and `readiness checklist tick <id>` name them.
 * How an item is evaluated is derived, not declared: by rules when rules name it as their
 * checklist item, by evidence when a detector exists for it, both, or else manual.
 */

export type TierId = "critical" | "high" | "important" | "enhancements" | "metrics" | "reviews" | "contacts";

export interface Tier {
  id: TierId;
  /** Short name for UIs ("Critical"). */
  title: string;
  /** The `##` heading of the checklist document, as the seed writes it. */
  heading: string;
}

export const TIERS: readonly Tier[] = [
  { id: "critical", title: "Critical", heading: "🔴 CRITICAL (Must Have Before Launch)" },
  { id: "high", title: "High priority", heading: "🟡 HIGH PRIORITY (First Month)" },
  { id: "important", title: "Important", heading: "🟢 IMPORTANT (First Quarter)" },
  { id: "enhancements", title: "Enhancements", heading: "🔵 ENHANCEMENTS (Ongoing)" },
  { id: "metrics", title: "Metrics to establish", heading: "📊 METRICS TO ESTABLISH" },
  { id: "reviews", title: "Regular reviews", heading: "🔍 REGULAR REVIEWS" },
  { id: "contacts", title: "Escalation contacts", heading: "📞 ESCALATION CONTACTS" },
];

export interface ItemDefinition {
  id: string;
  title: string;
  tier: TierId;
  /** The `###` section; empty for tiers without sections (reviews, contacts). */
  section: string;
  /** Contacts are `- **Name**: value` lines, done once the placeholder is replaced. */
  kind: "task" | "contact";
}

type Row = [id: string, title: string];

const SECTIONS: [TierId, string, Row[]][] = [
  ["critical", "Security", [
    ["security.hardcoded-mfa", "Remove hardcoded MFA code (`DEV_MFA_CODE`) - implement proper TOTP"],
    ["security.cors", "Fix CORS to exclude localhost in production"],
    ["security.rate-limit-redis", "Move rate limiting from in-memory to Redis"],
    ["security.session-store", "Move session storage from in-memory to Redis/database"],
    ["security.secrets-management", "Implement secrets management (AWS Secrets Manager/Vault)"],
    ["security.input-validation", "Add comprehensive input validation"],
    ["security.csrf", "Implement CSRF protection"],
    ["security.security-txt", "Add security.txt file"],
    ["security.hsts", "Enable HSTS header"],
    ["security.security-headers", "Complete security headers implementation"],
  ]],
  ["critical", "Reliability", [
    ["reliability.structured-logging", "Replace print statements with structured logging"],
    ["reliability.error-tracking", "Set up error tracking (Sentry/Datadog)"],
    ["reliability.connection-pooling", "Implement database connection pooling"],
    ["reliability.connection-retry", "Add connection retry logic"],
    ["reliability.backups", "Set up automated database backups"],
    ["reliability.health-checks", "Implement health checks (readiness/liveness)"],
    ["reliability.webhook-idempotency", "Add payment webhook idempotency"],
  ]],
  ["critical", "Testing", [
    ["testing.unit-coverage", "Add unit tests (minimum 60% coverage)"],
    ["testing.integration", "Add integration tests for critical paths"],
    ["testing.e2e-payments", "Add E2E tests for payment flow"],
    ["testing.ci-cd", "Set up CI/CD pipeline"],
  ]],
  ["critical", "Monitoring", [
    ["monitoring.apm", "Set up APM (Application Performance Monitoring)"],
    ["monitoring.alerting", "Configure alerting for critical errors"],
    ["monitoring.log-aggregation", "Set up log aggregation"],
    ["monitoring.dashboards", "Create monitoring dashboards"],
  ]],
  ["high", "Security", [
    ["security.oauth-sso", "Implement OAuth/SSO"],
    ["security.password-breach", "Add password breach checking"],
    ["security.vulnerability-scanning", "Set up vulnerability scanning"],
    ["security.audit-logging", "Implement security audit logging"],
    ["security.intrusion-detection", "Add intrusion detection"],
  ]],
  ["high", "Performance", [
    ["performance.redis-cache", "Set up Redis for caching"],
    ["performance.query-optimization", "Optimize database queries"],
    ["performance.etags", "Implement response caching (ETags)"],
    ["performance.cdn", "Add CDN for static assets"],
    ["performance.load-testing", "Load testing and capacity planning"],
  ]],
  ["high", "Operations", [
    ["operations.api-docs", "Complete API documentation (OpenAPI/Swagger)"],
    ["operations.runbooks", "Create runbooks for common operations"],
    ["operations.staging", "Set up staging environment"],
    ["operations.blue-green", "Implement blue-green deployments"],
    ["operations.feature-flags", "Set up feature flags"],
  ]],
  ["high", "Compliance", [
    ["compliance.gdpr", "GDPR compliance (data export, deletion)"],
    ["compliance.privacy-policy", "Privacy policy"],
    ["compliance.terms", "Terms of service"],
    ["compliance.cookie-consent", "Cookie consent banner"],
  ]],
  ["important", "Infrastructure", [
    ["infrastructure.multi-region", "Multi-region deployment"],
    ["infrastructure.db-replication", "Database replication"],
    ["infrastructure.load-balancing", "Load balancing"],
    ["infrastructure.auto-scaling", "Auto-scaling configuration"],
    ["infrastructure.disaster-recovery", "Disaster recovery plan"],
  ]],
  ["important", "Business Operations", [
    ["business.support-system", "Customer support system integration"],
    ["business.invoicing", "Invoice generation"],
    ["business.tax", "Tax calculation and reporting"],
    ["business.product-analytics", "Product analytics setup"],
    ["business.onboarding", "User onboarding automation"],
  ]],
  ["important", "Code Quality", [
    ["quality.type-coverage", "Complete type hints coverage"],
    ["quality.lint-format", "Set up code linting/formatting"],
    ["quality.code-review", "Code review process"],
    ["quality.tech-debt", "Technical debt tracking"],
    ["quality.architecture-docs", "Architecture documentation"],
  ]],
  ["important", "User Experience", [
    ["ux.accessibility", "Accessibility audit (WCAG 2.1 AA)"],
    ["ux.mobile", "Mobile optimization"],
    ["ux.feedback", "User feedback system"],
    ["ux.knowledge-base", "Knowledge base"],
  ]],
  ["enhancements", "Advanced Features", [
    ["features.i18n", "Multi-language support (i18n)"],
    ["features.mobile-apps", "Native mobile apps"],
    ["features.pwa", "Progressive Web App (PWA)"],
    ["features.advanced-analytics", "Advanced analytics"],
    ["features.machine-learning", "Machine learning features"],
  ]],
  ["enhancements", "Business Growth", [
    ["growth.marketing-automation", "Marketing automation"],
    ["growth.referrals", "Referral program"],
    ["growth.ab-testing", "A/B testing framework"],
    ["growth.advanced-reporting", "Advanced reporting"],
    ["growth.public-api", "API for third-party integrations"],
  ]],
  ["metrics", "Technical SLAs", [
    ["metrics.uptime", "Uptime target (99.9%+)"],
    ["metrics.api-latency", "API response time targets (p95 < 500ms)"],
    ["metrics.error-rate", "Error rate target (< 0.1%)"],
    ["metrics.database-performance", "Database query performance targets"],
  ]],
  ["metrics", "Business KPIs", [
    ["kpis.mrr-growth", "MRR growth target"],
    ["kpis.churn", "Churn rate target (< 5% monthly)"],
    ["kpis.conversion", "Conversion rate target (trial to paid)"],
    ["kpis.nps", "Customer satisfaction score (NPS)"],
  ]],
  ["reviews", "", [
    ["reviews.weekly", "Weekly: Security alerts, error rates, performance metrics"],
    ["reviews.monthly", "Monthly: Business metrics, user feedback, technical debt"],
    ["reviews.quarterly", "Quarterly: Security audit, compliance review, architecture review"],
    ["reviews.annually", "Annually: Penetration testing, full security audit, disaster recovery drill"],
  ]],
  ["contacts", "", [
    ["contacts.security", "Security Issues"],
    ["contacts.incidents", "Production Incidents"],
    ["contacts.payments", "Payment Issues"],
    ["contacts.database", "Database Issues"],
  ]],
];

/** The placeholder each contact line carries in the seed. */
export const CONTACT_PLACEHOLDERS: Readonly<Record<string, string>> = {
  "contacts.security": "[Security Team Contact]",
  "contacts.incidents": "[On-Call Contact]",
  "contacts.payments": "[Payment Team Contact]",
  "contacts.database": "[DBA Contact]",
};

export const ITEMS: readonly ItemDefinition[] = SECTIONS.flatMap(([tier, section, rows]) =>
  rows.map(([id, title]) => ({ id, title, tier, section, kind: tier === "contacts" ? ("contact" as const) : ("task" as const) })),
);

const itemsById = new Map(ITEMS.map((item) => [item.id, item]));

export function itemById(id: string): ItemDefinition | undefined {
  return itemsById.get(id);
}

export function tierById(id: TierId): Tier {
  return TIERS.find((tier) => tier.id === id)!;
}
