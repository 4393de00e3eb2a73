import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { productDetectors } from "../../rules/checklist/detectors/product";
import type { DetectorResult } from "../../rules/checklist/evidence";
import { evidenceFor } from "../checklist-fixture";

function run(id: string, files: Record<string, string>): DetectorResult {
  const detector = productDetectors[id];
  assert.ok(detector, `no detector for ${id}`);
  const result = detector(evidenceFor(files));
  return result;
}

function pkg(dependencies: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: "app", version: "1.0.0", dependencies: { express: "^4.19.0", ...dependencies }, ...extra }, null, 2);
}

function evidenceAt(result: DetectorResult, file: string, line?: number) {
  const site = result.evidence.find((evidence) => evidence.file === file && (line === undefined || evidence.line === line));
  assert.ok(site, `no evidence at ${file}${line === undefined ? "" : `:${line}`} in ${JSON.stringify(result.evidence)}`);
  return site;
}

const API_ONLY = {
  "package.json": pkg(),
  "src/app.ts": `import express from "express";\nconst app = express();\napp.get("/health", (_req, res) => res.json({ ok: true }));\napp.listen(3000);\n`,
};

const REACT_APP = {
  "package.json": pkg({ react: "^18.3.0", "react-dom": "^18.3.0" }),
  "src/main.tsx": `import { createRoot } from "react-dom/client";\nimport { App } from "./App";\ncreateRoot(document.getElementById("root")!).render(<App />);\n`,
  "src/App.tsx": `export function App() {\n  return <main>Hello</main>;\n}\n`,
  "index.html": `<!doctype html>\n<html>\n<head><title>App</title></head>\n<body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>\n</html>\n`,
};

describe("product detectors: ids", () => {
  it("covers exactly its seven items", () => {
    assert.deepEqual(Object.keys(productDetectors).sort(), [
      "business.product-analytics",
      "compliance.cookie-consent",
      "compliance.gdpr",
      "compliance.privacy-policy",
      "compliance.terms",
      "features.i18n",
      "features.pwa",
    ]);
  });
});

describe("compliance.gdpr", () => {
  it("passes on Express export and deletion routes for the current user", () => {
    const result = run("compliance.gdpr", {
      "package.json": pkg(),
      "src/routes/me.ts": `import { Router } from "express";
import { exportUserData, eraseUser } from "../services/gdpr";
export const me = Router();
me.get("/me/export", async (req, res) => res.json(await exportUserData(req.user.id)));
me.delete("/me", async (req, res) => {
  await eraseUser(req.user.id);
  res.status(204).end();
});
`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Users can export (/me/export) and delete (DELETE /me) their data");
    assert.equal(evidenceAt(result, "src/routes/me.ts", 4).note, "data export route GET /me/export");
    assert.equal(evidenceAt(result, "src/routes/me.ts", 5).note, "account deletion route DELETE /me");
  });

  it("passes on a NestJS account controller", () => {
    const result = run("compliance.gdpr", {
      "package.json": pkg({ "@nestjs/common": "^10.0.0" }),
      "src/account/account.controller.ts": `import { Controller, Delete, Get, Req } from "@nestjs/common";
import { AccountService } from "./account.service";

@Controller("account")
export class AccountController {
  constructor(private readonly accounts: AccountService) {}

  @Get("export")
  export(@Req() req: { user: { id: string } }) {
    return this.accounts.exportData(req.user.id);
  }

  @Delete()
  remove(@Req() req: { user: { id: string } }) {
    return this.accounts.erase(req.user.id);
  }
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /export \(\/account\/export\) and delete \(DELETE \/account\)/);
    evidenceAt(result, "src/account/account.controller.ts", 8);
    evidenceAt(result, "src/account/account.controller.ts", 13);
  });

  it("passes on Next.js route handlers", () => {
    const result = run("compliance.gdpr", {
      "package.json": pkg({ next: "^14.0.0" }),
      "app/api/account/export/route.ts": `import { NextResponse } from "next/server";\nexport async function GET() {\n  return NextResponse.json({});\n}\n`,
      "app/api/account/route.ts": `import { NextResponse } from "next/server";\nexport async function DELETE() {\n  return new NextResponse(null, { status: 204 });\n}\n`,
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "app/api/account/export/route.ts", 2);
    evidenceAt(result, "app/api/account/route.ts", 2);
  });

  it("fails with only an export route, naming the missing deletion", () => {
    const result = run("compliance.gdpr", {
      "package.json": pkg(),
      "src/app.ts": `import express from "express";\nconst app = express();\napp.get("/api/users/:id/export", (req, res) => res.json({}));\napp.listen(3000);\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^Data export route \/api\/users\/:id\/export found, but no route deletes/);
    evidenceAt(result, "src/app.ts", 3);
  });

  it("fails with only a deletion route of a mounted account router, naming the missing export", () => {
    const result = run("compliance.gdpr", {
      "package.json": pkg(),
      "src/routes/account.routes.ts": `import { Router } from "express";\nconst router = Router();\nrouter.delete("/", async (req, res) => res.status(204).end());\nexport default router;\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^Account deletion route DELETE \/account found, but no route exports/);
    evidenceAt(result, "src/routes/account.routes.ts", 3);
  });

  it("counts DELETE /users/:id only where the file erases personal data", () => {
    const crud = `import { Router } from "express";\nconst router = Router();\nrouter.get("/users/:id/export", (req, res) => res.json({}));\nrouter.delete("/users/:id", async (req, res) => res.status(204).end());\nexport default router;\n`;
    assert.equal(run("compliance.gdpr", { "package.json": pkg(), "src/routes/users.ts": crud }).status, "fail");
    const erasing = crud.replace("res.status(204).end()", "{ await anonymizeUser(req.params.id); res.status(204).end(); }");
    const result = run("compliance.gdpr", { "package.json": pkg(), "src/routes/users.ts": erasing });
    assert.equal(result.status, "pass");
    evidenceAt(result, "src/routes/users.ts", 4);
  });

  it("fails without any such route (a reports export does not count)", () => {
    const result = run("compliance.gdpr", {
      "package.json": pkg(),
      "src/app.ts": `import express from "express";\nconst app = express();\napp.get("/reports/export", (req, res) => res.json({}));\napp.delete("/sessions/:id", (req, res) => res.end());\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No routes for exporting or deleting/);
    assert.deepEqual(result.evidence, []);
  });
});

describe("compliance.privacy-policy", () => {
  it("passes on PRIVACY.md", () => {
    const result = run("compliance.privacy-policy", { ...API_ONLY, "PRIVACY.md": "# Privacy Policy\n" });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "PRIVACY.md").note, "privacy policy document");
  });

  it("passes on a Next.js app router page", () => {
    const result = run("compliance.privacy-policy", { "package.json": pkg({ next: "^14.0.0" }), "app/(marketing)/privacy-policy/page.tsx": "export default function Page() { return <article>Privacy</article>; }\n" });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "app/(marketing)/privacy-policy/page.tsx").note, "privacy policy page");
  });

  it("passes on a /privacy route", () => {
    const result = run("compliance.privacy-policy", {
      "package.json": pkg(),
      "src/app.ts": `import express from "express";\nconst app = express();\napp.get("/health", (_req, res) => res.json({ ok: true }));\napp.get("/privacy", (_req, res) => res.render("privacy"));\n`,
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "src/app.ts", 4);
  });

  it("passes on a link to a hosted policy in the footer", () => {
    const result = run("compliance.privacy-policy", {
      ...REACT_APP,
      "src/components/Footer.tsx": `export const Footer = () => <footer><a href="https://acme.com/legal/privacy">Privacy</a></footer>;\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "src/components/Footer.tsx", 1).note, "links to a hosted privacy policy");
  });

  it("fails without a policy (a privacy service module is not one)", () => {
    const result = run("compliance.privacy-policy", { ...API_ONLY, "src/services/privacy.ts": "export const redact = (s: string) => s.replace(/./g, '*');\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No privacy policy/);
  });
});

describe("compliance.terms", () => {
  it("passes on public/terms.html", () => {
    const result = run("compliance.terms", { ...API_ONLY, "public/terms.html": "<h1>Terms</h1>\n" });
    assert.equal(result.status, "pass");
    assert.match(result.note, /public\/terms\.html/);
    evidenceAt(result, "public/terms.html");
  });

  it("passes on a terms-of-service page", () => {
    const result = run("compliance.terms", { "package.json": pkg({ next: "^14.0.0" }), "pages/terms-of-service.tsx": "export default function Terms() { return null; }\n" });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "pages/terms-of-service.tsx").note, "terms of service page");
  });

  it("passes on a NestJS @Get('terms') route", () => {
    const result = run("compliance.terms", {
      "package.json": pkg({ "@nestjs/common": "^10.0.0" }),
      "src/legal.controller.ts": `import { Controller, Get } from "@nestjs/common";\n@Controller()\nexport class LegalController {\n  @Get("terms")\n  terms() { return "..."; }\n}\n`,
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "src/legal.controller.ts", 4);
  });

  it("fails without terms", () => {
    const result = run("compliance.terms", { ...API_ONLY, "PRIVACY.md": "# Privacy\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No terms of service/);
  });
});

describe("compliance.cookie-consent", () => {
  it("passes on react-cookie-consent", () => {
    const result = run("compliance.cookie-consent", {
      ...REACT_APP,
      "package.json": pkg({ react: "^18.3.0", "react-dom": "^18.3.0", "react-cookie-consent": "^9.0.0" }),
      "src/App.tsx": `import CookieConsent from "react-cookie-consent";\nexport function App() {\n  return <main>Hello<CookieConsent>We use cookies</CookieConsent></main>;\n}\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /react-cookie-consent/);
    evidenceAt(result, "src/App.tsx", 1);
  });

  it("passes on a CookieBanner component", () => {
    const result = run("compliance.cookie-consent", { ...REACT_APP, "src/components/CookieBanner.tsx": "export const CookieBanner = () => <div>cookies</div>;\n" });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "src/components/CookieBanner.tsx").note, "cookie consent component");
  });

  it("passes on a Cookiebot script in index.html", () => {
    const result = run("compliance.cookie-consent", {
      ...REACT_APP,
      "index.html": `<!doctype html>\n<html>\n<head>\n<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="x"></script>\n</head>\n<body></body>\n</html>\n`,
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "index.html", 4);
  });

  it("fails on a web front end without consent, pointing at the front end", () => {
    const result = run("compliance.cookie-consent", REACT_APP);
    assert.equal(result.status, "fail");
    assert.match(result.note, /Web front end without a cookie consent banner/);
    assert.equal(evidenceAt(result, "package.json").note, "front end: declares react-dom in dependencies");
  });

  it("is open and suggests not applicable for a pure API", () => {
    const result = run("compliance.cookie-consent", API_ONLY);
    assert.equal(result.status, "open");
    assert.equal(result.suggestNotApplicable, true);
    assert.match(result.note, /no web front end in this workspace/);
  });

  it("does not take e-mail templates for a front end", () => {
    const result = run("compliance.cookie-consent", { ...API_ONLY, "src/emails/welcome.html": "<p>Welcome</p>\n" });
    assert.equal(result.status, "open");
  });
});

describe("features.i18n", () => {
  it("passes on i18next", () => {
    const result = run("features.i18n", {
      "package.json": pkg({ i18next: "^23.0.0", "i18next-http-middleware": "^3.5.0" }),
      "src/i18n.ts": `import i18next from "i18next";\nimport middleware from "i18next-http-middleware";\nexport { i18next, middleware };\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Internationalised with i18next and i18next-http-middleware");
    evidenceAt(result, "src/i18n.ts", 1);
  });

  it("passes on locale catalogues for two languages", () => {
    const result = run("features.i18n", { ...API_ONLY, "public/locales/en/common.json": "{}", "public/locales/de/common.json": "{}", "public/locales/de/errors.json": "{}" });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Translations for 2 languages in public/locales/ (de and en)");
    evidenceAt(result, "public/locales/en/common.json");
  });

  it("passes on messages/*.json (next-intl layout)", () => {
    const result = run("features.i18n", { ...API_ONLY, "messages/en.json": "{}", "messages/fr-CA.json": "{}" });
    assert.equal(result.status, "pass");
    assert.match(result.note, /en and fr-CA/);
  });

  it("fails with a single locale", () => {
    const result = run("features.i18n", { ...API_ONLY, "locales/en.json": "{}", "locales/db.json": "{}" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /Only one language \(en\) in locales\//);
    evidenceAt(result, "locales/en.json");
  });

  it("fails without i18n", () => {
    const result = run("features.i18n", API_ONLY);
    assert.equal(result.status, "fail");
    assert.match(result.note, /No i18n library/);
  });
});

describe("features.pwa", () => {
  it("passes on vite-plugin-pwa", () => {
    const result = run("features.pwa", {
      ...REACT_APP,
      "package.json": pkg({ react: "^18.3.0", "react-dom": "^18.3.0" }, { devDependencies: { vite: "^5.0.0", "vite-plugin-pwa": "^0.20.0" } }),
      "vite.config.ts": `import { defineConfig } from "vite";\nimport { VitePWA } from "vite-plugin-pwa";\nexport default defineConfig({ plugins: [VitePWA({ registerType: "autoUpdate" })] });\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /vite-plugin-pwa/);
    evidenceAt(result, "vite.config.ts", 2);
  });

  it("passes on a manifest and a registered service worker", () => {
    const result = run("features.pwa", {
      ...REACT_APP,
      "public/manifest.json": `{\n  "name": "Acme",\n  "start_url": "/",\n  "display": "standalone"\n}\n`,
      "public/sw.js": "self.addEventListener('fetch', () => {});\n",
      "src/main.tsx": `import { createRoot } from "react-dom/client";\nimport { App } from "./App";\nnavigator.serviceWorker.register("/sw.js");\ncreateRoot(document.getElementById("root")!).render(<App />);\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "public/manifest.json").line, 3);
    evidenceAt(result, "public/sw.js");
    evidenceAt(result, "src/main.tsx", 3);
  });

  it("fails with a manifest but no service worker", () => {
    const result = run("features.pwa", { ...REACT_APP, "public/site.webmanifest": '{ "name": "Acme" }\n' });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "Web app manifest public/site.webmanifest found, but no service worker");
    evidenceAt(result, "public/site.webmanifest");
  });

  it("fails with a service worker but no manifest (a browser extension manifest is not one)", () => {
    const result = run("features.pwa", {
      ...REACT_APP,
      "public/service-worker.js": "self.addEventListener('install', () => {});\n",
      "public/manifest.json": '{ "manifest_version": 3, "name": "ext", "display": "x" }\n',
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^Service worker found \(public\/service-worker\.js\), but no web app manifest/);
  });

  it("fails on a front end without either", () => {
    const result = run("features.pwa", REACT_APP);
    assert.equal(result.status, "fail");
    assert.match(result.note, /Web front end without a web app manifest or service worker/);
    evidenceAt(result, "package.json");
  });

  it("is open and suggests not applicable for a pure API", () => {
    const result = run("features.pwa", API_ONLY);
    assert.equal(result.status, "open");
    assert.equal(result.suggestNotApplicable, true);
  });
});

describe("business.product-analytics", () => {
  it("passes on posthog-node", () => {
    const result = run("business.product-analytics", {
      "package.json": pkg({ "posthog-node": "^4.0.0" }),
      "src/analytics.ts": `import { PostHog } from "posthog-node";\nexport const posthog = new PostHog(process.env.POSTHOG_KEY!);\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Product analytics: posthog-node");
    evidenceAt(result, "src/analytics.ts", 1);
  });

  it("passes on a Plausible script tag", () => {
    const result = run("business.product-analytics", {
      ...REACT_APP,
      "index.html": `<!doctype html>\n<html>\n<head>\n<script defer data-domain="acme.com" src="https://plausible.io/js/script.js"></script>\n</head>\n</html>\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "index.html", 4).note, "Plausible analytics script");
  });

  it("passes, saying so, when Segment is only declared", () => {
    const result = run("business.product-analytics", { "package.json": pkg({ "@segment/analytics-node": "^2.0.0" }) });
    assert.equal(result.status, "pass");
    assert.match(result.note, /declared \(@segment\/analytics-node\); not seen imported/);
    evidenceAt(result, "package.json", 6);
  });

  it("fails without analytics", () => {
    const result = run("business.product-analytics", API_ONLY);
    assert.equal(result.status, "fail");
    assert.match(result.note, /No product analytics/);
  });
});
