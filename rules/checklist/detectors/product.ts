/**
 * Evidence detectors for the compliance and product items: GDPR export/deletion routes, privacy
 * policy and terms pages, cookie consent, i18n, PWA and product analytics.
 */
import { type Detector, type Evidence, type EvidenceContext, fail, filesMatching, lineOf, open, pass } from "../evidence";
import { baseName, importsAny, lineAt, listNames, notApplicable, textSites, usageOf } from "./support";

// ---------------------------------------------------------------------------------------------
// Shared: route files, layout files and whether there is a web front end

const ROUTING_MODULES = [
  "express", "fastify", "koa", "@koa/router", "koa-router", "@nestjs/common", "hono", "@hapi/hapi", "restify", "polka", "h3", "elysia",
  "next/server", "react-router", "react-router-dom", "@tanstack/react-router", "vue-router", "@remix-run/node", "@sveltejs/kit",
];
const ROUTE_FOLDER = /(?:^|\/)(?:routes?|routers?|controllers?|api|handlers?)\//i;
const NEXT_ROUTE_HANDLER = /(?:^|\/)app\/(?:.*\/)?route\.[cm]?[jt]s$|(?:^|\/)pages\/api\//;

/** Analysed files that can register routes: they import a router/framework, or sit in a routes/controllers/api folder. */
function routeFiles(context: EvidenceContext): string[] {
  return context.analyses
    .filter((analysis) => !analysis.skipped)
    .filter((analysis) => importsAny(analysis, ROUTING_MODULES) || ROUTE_FOLDER.test(analysis.file) || NEXT_ROUTE_HANDLER.test(analysis.file))
    .map(({ file }) => file);
}

const FRONT_END_PACKAGES = [
  "react-dom", "next", "vue", "nuxt", "svelte", "@sveltejs/kit", "@angular/core", "solid-js", "preact", "astro", "@remix-run/react", "gatsby", "@builder.io/qwik", "lit", "alpinejs", "htmx.org",
];
const FRONT_END_FILE = /\.(?:tsx|jsx|html?|vue|svelte|astro)$/;
/** HTML and JSX that is not a web page: e-mail templates, test fixtures, coverage and docs output. */
const NOT_A_PAGE = /(?:^|\/)(?:e-?mails?|mails?|mailers?|notifications?|test|tests|__tests__|fixtures|e2e|coverage|docs?)\//i;

/** Evidence that the workspace has a web front end (a front-end framework, or pages/components). */
export function webFrontEnd(context: EvidenceContext): Evidence[] {
  const evidence: Evidence[] = usageOf(context, FRONT_END_PACKAGES).declared;
  if (evidence.length > 0) return evidence;
  const page = context.files.find((file) => FRONT_END_FILE.test(file) && !NOT_A_PAGE.test(file));
  return page ? [{ file: page, note: "web page or component" }] : [];
}

const NO_FRONT_END = "no web front end in this workspace (no React/Vue/Svelte/Next dependency, no .tsx/.jsx/.html pages)";

const LAYOUT_NAME = /^(?:_app|_document|layout|root|app|index|main|entry[\w.-]*|head|document|base|default)\.(?:tsx|jsx|ts|js|vue|svelte|astro|html?)$/i;

/** Where a site's global scripts and components go: HTML pages and app shells/layouts (bounded). */
function layoutFiles(context: EvidenceContext): string[] {
  const html = context.files.filter((file) => /\.html?$/.test(file) && !NOT_A_PAGE.test(file));
  const shells = context.files.filter((file) => LAYOUT_NAME.test(baseName(file)) && !NOT_A_PAGE.test(file) && (/\.(?:tsx|jsx|vue|svelte|astro|html?)$/.test(file) || /(?:^|\/)(?:app|pages|src)\//.test(file)));
  const configs = filesMatching(context, /(?:^|\/)nuxt\.config\.[cm]?[jt]s$/);
  return [...new Set([...html, ...shells, ...configs])].slice(0, 100);
}

// ---------------------------------------------------------------------------------------------
// compliance.gdpr

interface Route {
  method: string;
  path: string;
  file: string;
  line: number;
}

const ROUTE_CALL = /(?:\.(get|post|put|patch|delete|del|all)|@(Get|Post|Put|Patch|Delete|All))\s*\(\s*(?:(["'`])([^"'`]*)\3)?/g;
const FASTIFY_ROUTE = /method\s*:\s*["'`](\w+)["'`][^{}]{0,200}?url\s*:\s*["'`]([^"'`]+)["'`]|url\s*:\s*["'`]([^"'`]+)["'`][^{}]{0,200}?method\s*:\s*["'`](\w+)["'`]/gi;
const NEST_CONTROLLER = /@Controller\s*\(\s*(?:["'`]([^"'`]*)["'`]|\{[^}]*path\s*:\s*["'`]([^"'`]*)["'`])/;
const NEXT_METHOD = /export\s+(?:async\s+)?(?:function\s+|const\s+)(GET|POST|PUT|PATCH|DELETE)\b/g;

function joinPath(prefix: string, route: string): string {
  const joined = `/${prefix}/${route}`.replace(/\/+/g, "/");
  return joined.length > 1 ? joined.replace(/\/$/, "") : joined;
}

/** The routes a file registers, with full paths where the prefix is known (Nest controllers, Next.js folders, router file names). */
function routesOf(context: EvidenceContext, file: string): Route[] {
  const text = context.read(file);
  if (text === undefined) return [];
  const routes: Route[] = [];
  if (NEXT_ROUTE_HANDLER.test(file)) {
    const segments = file.replace(/\.[cm]?[jt]sx?$/, "").split("/");
    const from = segments.lastIndexOf("app") >= 0 && !file.includes("pages/api/") ? segments.lastIndexOf("app") + 1 : segments.lastIndexOf("pages") + 1;
    const urlPath = joinPath("", segments.slice(from).filter((segment) => !/^\(.*\)$/.test(segment) && segment !== "route" && segment !== "index").join("/"));
    const methods = [...text.matchAll(NEXT_METHOD)];
    if (methods.length === 0) routes.push({ method: file.includes("pages/api/") ? "all" : "get", path: urlPath, file, line: 1 });
    for (const match of methods) routes.push({ method: match[1].toLowerCase(), path: urlPath, file, line: lineAt(text, match.index!) });
    if (file.includes("pages/api/")) {
      const deleteCheck = /req\.method\s*===?\s*["'`]DELETE["'`]|case\s+["'`]DELETE["'`]/.exec(text);
      if (deleteCheck) routes.push({ method: "delete", path: urlPath, file, line: lineAt(text, deleteCheck.index) });
    }
    return routes;
  }
  const controller = NEST_CONTROLLER.exec(text);
  const controllerPrefix = controller ? (controller[1] ?? controller[2] ?? "") : undefined;
  // Routers mounted under a prefix elsewhere (`app.use("/account", accountRouter)`): the file name stands for it.
  const fileWord = baseName(file).replace(/\.[cm]?[jt]sx?$/, "").replace(/[.-]?(?:routes?|router|controller|handlers?)$/i, "");
  for (const match of text.matchAll(ROUTE_CALL)) {
    const decorator = match[2] !== undefined;
    const route = match[4];
    if (route === undefined && !decorator) continue;
    if (!decorator && !route!.startsWith("/")) continue;
    const method = (match[1] ?? match[2]).toLowerCase();
    let prefix = "";
    if (decorator) prefix = controllerPrefix ?? "";
    else if ((route === "/" || route === "") && fileWord && !/^(?:index|app|server|main|routes?)$/i.test(fileWord)) prefix = fileWord;
    routes.push({ method: method === "del" ? "delete" : method, path: joinPath(prefix, route ?? ""), file, line: lineAt(text, match.index!) });
  }
  for (const match of text.matchAll(FASTIFY_ROUTE)) {
    const method = (match[1] ?? match[4]).toLowerCase();
    const route = match[2] ?? match[3];
    routes.push({ method, path: joinPath("", route), file, line: lineAt(text, match.index!) });
  }
  return routes;
}

const EXPORT_WORD = /export|download|takeout|portability|data-request|my-data/i;
const DATA_SUBJECT = /(?:^|\/)(?:me|my|self|account|accounts|user|users|profile|profiles|gdpr|privacy|personal|data|my-data|customer|customers)(?:\/|$|-)|data-export|export-data/i;
const SELF_DELETE = /(?:^|\/)(?:me|my-account|account|accounts\/me|profile|self|users\/me|user)\/?$/i;
const ERASURE_PATH = /(?:gdpr|privacy)\/(?:delete|erase|erasure|forget)|(?:^|\/)(?:erase|erasure|forget-me|delete-account|delete-me|close-account)(?:\/|$)|(?:account|me|profile)\/(?:delete|close|erase|deactivate)(?:\/|$)/i;
const USER_BY_ID = /(?:^|\/)(?:users?|accounts?|customers?)\/:\w+$|(?:^|\/)(?:users?|accounts?|customers?)\/\{\w+\}$|(?:^|\/)(?:users?|accounts?|customers?)\/\[\w+\]$/i;
const ERASURE_WORDS = /anonymi[sz]|\berase|erasure|\bpurge|gdpr|forget|personal data|right to be forgotten/i;

function isExportRoute(route: Route): boolean {
  return route.method !== "delete" && EXPORT_WORD.test(route.path) && DATA_SUBJECT.test(route.path);
}

function isDeletionRoute(route: Route, fileText: string): boolean {
  if (ERASURE_PATH.test(route.path) && route.method !== "get") return true;
  if (route.method !== "delete") return false;
  if (SELF_DELETE.test(route.path)) return true;
  return USER_BY_ID.test(route.path) && ERASURE_WORDS.test(fileText);
}

export const gdpr: Detector = (context) => {
  const exports: Evidence[] = [];
  const deletions: Evidence[] = [];
  for (const file of routeFiles(context)) {
    const routes = routesOf(context, file);
    if (routes.length === 0) continue;
    const text = context.read(file) ?? "";
    for (const route of routes) {
      const site = { file: route.file, line: route.line, note: `${route.method.toUpperCase()} ${route.path}` };
      if (isExportRoute(route)) exports.push({ ...site, note: `data export route ${site.note}` });
      else if (isDeletionRoute(route, text)) deletions.push({ ...site, note: `account deletion route ${site.note}` });
    }
  }
  const exportPaths = listNames(exports.map((site) => site.note.replace(/^data export route \w+ /, "")), 2);
  const deletionPaths = listNames(deletions.map((site) => site.note.replace(/^account deletion route /, "")), 2);
  if (exports.length > 0 && deletions.length > 0) return pass(`Users can export (${exportPaths}) and delete (${deletionPaths}) their data`, [...exports, ...deletions]);
  if (exports.length > 0) return fail(`Data export route ${exportPaths} found, but no route deletes a user's account or data (DELETE /me, /account, /gdpr/delete)`, exports);
  if (deletions.length > 0) return fail(`Account deletion route ${deletionPaths} found, but no route exports a user's data (/me/export, /account/export)`, deletions);
  return fail("No routes for exporting or deleting a user's data (GDPR access and erasure)");
};

// ---------------------------------------------------------------------------------------------
// compliance.privacy-policy, compliance.terms

interface LegalPage {
  what: string;
  /** Base names (without extension) and route segments that name the page. */
  names: RegExp;
  missing: string;
}

const DOCUMENT_EXTENSIONS = /\.(?:md|mdx|markdown|html?|txt|pdf|rst|adoc)$/i;
const PAGE_EXTENSIONS = /\.(?:tsx|jsx|ts|js|mjs|vue|svelte|astro|hbs|ejs|pug|njk|liquid|mdx?|html?)$/i;
const PAGE_FOLDER = /(?:^|\/)(?:app|pages|routes|views|templates|public|static|site|www|legal|content)\//i;

function legalPage(page: LegalPage): Detector {
  const named = new RegExp(`^(?:${page.names.source})$`, "i");
  return (context) => {
    const evidence: Evidence[] = [];
    for (const file of context.files) {
      const base = baseName(file);
      const stem = base.replace(/\.[^.]+$/, "");
      const segments = file.split("/");
      if (named.test(stem) && (DOCUMENT_EXTENSIONS.test(base) || (PAGE_EXTENSIONS.test(base) && PAGE_FOLDER.test(file)))) {
        evidence.push({ file, note: `${page.what} ${DOCUMENT_EXTENSIONS.test(base) ? "document" : "page"}` });
      } else if (PAGE_EXTENSIONS.test(base) && /^(?:\+?page|index)$/i.test(stem) && segments.length >= 2 && named.test(segments[segments.length - 2]) && PAGE_FOLDER.test(file)) {
        evidence.push({ file, note: `${page.what} page` });
      }
    }
    if (evidence.length === 0) {
      const routePattern = new RegExp(`(?:\\.get|@Get|\\bpath\\s*:|\\broute\\s*\\()\\s*\\(?\\s*["'\`]\\/?(?:[\\w-]+\\/)?(?:${page.names.source})\\/?["'\`]`, "i");
      evidence.push(...textSites(context, routeFiles(context), routePattern, `${page.what} route`));
      const hosted = new RegExp(`https?:\\/\\/[^\\s"'\`]+\\/(?:[\\w-]+\\/)?(?:${page.names.source})(?:\\.html?)?\\/?["'\`]`, "i");
      evidence.push(...textSites(context, layoutFiles(context).concat(context.files.filter((file) => /footer|legal|sign-?up|register/i.test(baseName(file)) && PAGE_EXTENSIONS.test(file)).slice(0, 50)), hosted, `links to a hosted ${page.what}`));
    }
    if (evidence.length > 0) {
      const where = evidence.map((site) => (site.note.endsWith(" route") ? `route in ${site.file}` : site.note.startsWith("links to") ? `hosted, linked from ${site.file}` : site.file!));
      return pass(`${page.what[0].toUpperCase()}${page.what.slice(1)} found: ${listNames(where, 3)}`, evidence);
    }
    return fail(page.missing);
  };
}

export const privacyPolicy = legalPage({
  what: "privacy policy",
  names: /privacy(?:[-_ ]?(?:policy|notice|statement))?|datenschutz(?:erklaerung)?|data-protection(?:-policy)?/,
  missing: "No privacy policy (PRIVACY.md, a /privacy page or route, public/privacy*)",
});

export const termsOfService = legalPage({
  what: "terms of service",
  names: /terms(?:[-_ ]?(?:of[-_ ]?(?:service|use)|and[-_ ]?conditions|conditions))?|tos|eula|agb|legal[-_]terms/,
  missing: "No terms of service (TERMS.md, terms-of-service.md, a /terms page or route, public/terms*)",
});

// ---------------------------------------------------------------------------------------------
// compliance.cookie-consent

const CONSENT_MODULES = [
  "react-cookie-consent", "vanilla-cookieconsent", "cookieconsent", "@cookiehub", "klaro", "@consent-manager", "tarteaucitronjs", "tarteaucitron",
  "@segment/consent-manager", "@c15t", "c15t", "@porscheofficial/cookie-consent-banner", "@osano", "@usercentrics", "@didomi", "react-cookie-law",
  "@iubenda", "cookie-though", "@schlomoh/react-cookieconsent",
];
const CONSENT_SCRIPT = /consent\.cookiebot\.com|\bCookiebot\b|cdn\.cookielaw\.org|otSDKStub|\bOneTrust\b|cmp\.osano\.com|osano\.js|iubenda\.com\/cs|app\.termly\.io|usercentrics|cdn-cookieyes|\bdidomi\b|cookiehub\.net|klaro\.js|tarteaucitron/i;
const CONSENT_COMPONENT_FILE = /(?:^|\/)[\w.-]*(?:cookie[-_]?(?:consent|banner|notice|bar|popup)|consent[-_]?(?:banner|manager|modal|dialog|popup))[\w.-]*\.(?:tsx|jsx|vue|svelte|astro|ts|js|html)$/i;
const CONSENT_COMPONENT_USE = /<(?:CookieConsent|CookieBanner|ConsentBanner|CookieNotice|CookieConsentBanner|ConsentManager)\b/;

export const cookieConsent: Detector = (context) => {
  const libraries = usageOf(context, CONSENT_MODULES);
  const evidence: Evidence[] = [...libraries.imported];
  evidence.push(...filesMatching(context, CONSENT_COMPONENT_FILE).filter((file) => !NOT_A_PAGE.test(file)).map((file) => ({ file, note: "cookie consent component" })));
  const layouts = layoutFiles(context);
  const scripts = textSites(context, layouts, CONSENT_SCRIPT, (match) => `consent manager script (${match[0]})`);
  const rendered = textSites(context, layouts, CONSENT_COMPONENT_USE, (match) => `renders ${match[0].slice(1)}`);
  evidence.push(...scripts, ...rendered);
  if (evidence.length > 0) {
    const what = [
      ...libraries.importedNames,
      ...evidence.filter((site) => site.note === "cookie consent component").map((site) => site.file!),
      ...scripts.map((site) => `${site.note.replace(/^consent manager script \((.*)\)$/, "$1")} script in ${site.file}`),
    ];
    return pass(`Cookie consent: ${listNames(what.length > 0 ? what : rendered.map((site) => `${site.note} in ${site.file}`), 3)}`, evidence);
  }
  if (libraries.declared.length > 0) return pass(`Cookie consent library declared (${listNames(libraries.declaredOnlyNames, 4)}); not seen imported by analysed sources (it may load from HTML, .vue or .svelte files)`, libraries.declared);
  const frontEnd = webFrontEnd(context);
  if (frontEnd.length === 0) return notApplicable(open(`No cookie consent needed here: ${NO_FRONT_END}`));
  return fail("Web front end without a cookie consent banner (no consent library, CookieConsent/CookieBanner component or consent manager script)", frontEnd.slice(0, 1).map((site) => ({ ...site, note: `front end: ${site.note}` })));
};

// ---------------------------------------------------------------------------------------------
// features.i18n

const I18N_MODULES = [
  "i18next", "react-i18next", "next-i18next", "next-intl", "i18next-http-middleware", "i18next-fs-backend", "i18next-http-backend", "i18next-browser-languagedetector",
  "@formatjs", "react-intl", "vue-i18n", "@intlify", "@lingui", "typesafe-i18n", "rosetta", "node-polyglot", "i18n", "i18n-js", "@nuxtjs/i18n", "svelte-i18n",
  "@ngx-translate/core", "@angular/localize", "nestjs-i18n", "@inlang/paraglide-js", "@inlang/paraglide-next", "intl-messageformat", "@fluent/bundle", "@tolgee", "next-translate",
];
const LOCALE_FOLDER = /(?:^|\/)(locales?|i18n|lang|langs|languages|translations?|messages|intl|l10n)\/(.+)$/i;
/** ISO 639-1 codes (and a few common three-letter ones), so `db.json` or `ts/` in a messages folder is not a language. */
const LANGUAGE_CODES = new Set(
  ("aa ab af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl " +
    "gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg " +
    "mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr " +
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu fil yue haw ast ckb").split(" "),
);
const LANGUAGE = /^([a-z]{2,3})(?:[-_][A-Za-z]{2,4})?$/;

function isLanguage(name: string): boolean {
  const match = LANGUAGE.exec(name);
  return match !== null && LANGUAGE_CODES.has(match[1]);
}
const LOCALE_FILE = /\.(?:json|ya?ml|po|ftl|properties|ts|js|mjs|xliff|xlf|arb|toml)$/;

export const i18n: Detector = (context) => {
  const libraries = usageOf(context, I18N_MODULES);
  if (libraries.imported.length > 0) return pass(`Internationalised with ${listNames(libraries.importedNames, 4)}`, libraries.imported);
  // Locale catalogues: `locales/en.json` + `locales/de.json`, or `locales/en/…` + `locales/fr/…`.
  const languages = new Map<string, Map<string, string>>();
  for (const file of context.files) {
    if (!LOCALE_FILE.test(file)) continue;
    const match = LOCALE_FOLDER.exec(file);
    if (!match) continue;
    const folder = file.slice(0, match.index + match[0].length - match[2].length);
    const rest = match[2].split("/");
    const language = rest.length === 1 ? rest[0].replace(/\.[^.]+$/, "") : rest[0];
    if (!isLanguage(language)) continue;
    if (!languages.has(folder)) languages.set(folder, new Map());
    if (!languages.get(folder)!.has(language)) languages.get(folder)!.set(language, file);
  }
  const catalogues = [...languages].filter(([, found]) => found.size >= 2).sort((a, b) => b[1].size - a[1].size);
  if (catalogues.length > 0) {
    const [folder, found] = catalogues[0];
    return pass(`Translations for ${found.size} languages in ${folder} (${listNames([...found.keys()], 6)})`, [...found.values()].map((file) => ({ file, note: "locale catalogue" })));
  }
  if (libraries.declared.length > 0) return pass(`i18n library declared (${listNames(libraries.declaredOnlyNames, 4)}); not seen imported by analysed sources`, libraries.declared);
  const single = [...languages].find(([, found]) => found.size === 1);
  if (single) {
    const [folder, found] = single;
    return fail(`Only one language (${[...found.keys()][0]}) in ${folder}: no second locale and no i18n library`, [...found.values()].map((file) => ({ file, note: "the only locale catalogue" })));
  }
  return fail("No i18n library (i18next, next-intl, react-intl, vue-i18n, Lingui…) and no locale catalogues for two or more languages");
};

// ---------------------------------------------------------------------------------------------
// features.pwa

/** Build plugins that generate both the manifest and the service worker. */
const PWA_PLUGINS = ["vite-plugin-pwa", "@vite-pwa/nuxt", "@vite-pwa/sveltekit", "@vite-pwa/astro", "@vite-pwa/remix", "@nuxtjs/pwa", "@angular/pwa", "gatsby-plugin-offline"];
/** Service-worker tooling only: the manifest is still needed. */
const SERVICE_WORKER_PACKAGES = ["workbox-window", "workbox-webpack-plugin", "workbox-build", "workbox-precaching", "workbox-routing", "workbox-strategies", "workbox-sw", "workbox-cli", "next-pwa", "@ducanh2912/next-pwa", "@serwist", "serwist", "@angular/service-worker", "sw-precache-webpack-plugin"];
const MANIFEST_WEB = /(?:^|\/)[\w.-]*\.webmanifest$/;
const MANIFEST_JSON = /(?:^|\/)(?:public|static|src|app|www|assets)\/(?:[\w-]+\/)*manifest\.json$|^manifest\.json$/;
const NEXT_MANIFEST = /(?:^|\/)app\/manifest\.(?:ts|js|json)$/;
const SERVICE_WORKER_FILE = /(?:^|\/)(?:sw|service-worker|serviceWorker|service_worker|firebase-messaging-sw)\.(?:js|ts|mjs)$/;
const SW_REGISTER = /navigator\.serviceWorker\.register\s*\(|\bregisterSW\s*\(|\bserviceWorkerRegistration\.register\s*\(/;

export const pwa: Detector = (context) => {
  const plugins = usageOf(context, PWA_PLUGINS);
  const manifests: Evidence[] = [];
  for (const file of filesMatching(context, MANIFEST_WEB)) manifests.push({ file, note: "web app manifest" });
  for (const file of filesMatching(context, NEXT_MANIFEST)) manifests.push({ file, note: "web app manifest (Next.js metadata)" });
  for (const file of filesMatching(context, MANIFEST_JSON)) {
    const text = context.read(file);
    // Browser extensions have manifest.json too (with manifest_version): only a web app manifest counts.
    if (text && /"(?:start_url|display)"\s*:/.test(text) && !/"manifest_version"\s*:/.test(text)) manifests.push({ file, line: lineOf(text, /"(?:start_url|display)"/), note: "web app manifest" });
  }
  const workers: Evidence[] = filesMatching(context, SERVICE_WORKER_FILE).filter((file) => !NOT_A_PAGE.test(file)).map((file) => ({ file, note: "service worker" }));
  const swPackages = usageOf(context, SERVICE_WORKER_PACKAGES);
  workers.push(...swPackages.imported, ...(swPackages.imported.length === 0 ? swPackages.declared : []));
  const registrars = context.analyses
    .map(({ file }) => file)
    .filter((file) => !NOT_A_PAGE.test(file) && (/\.(?:tsx|jsx)$/.test(file) || /main|index|app|layout|register|worker|pwa|client/i.test(baseName(file))));
  workers.push(...textSites(context, [...registrars.slice(0, 200), ...layoutFiles(context).filter((file) => /\.html?$/.test(file))], SW_REGISTER, "registers a service worker"));

  const pluginEvidence = plugins.imported.length > 0 ? plugins.imported : plugins.declared;
  if (pluginEvidence.length > 0) {
    const names = plugins.imported.length > 0 ? plugins.importedNames : plugins.declaredOnlyNames;
    return pass(`PWA built by ${listNames(names, 4)} (manifest and service worker)`, [...pluginEvidence, ...manifests, ...workers]);
  }
  if (manifests.length > 0 && workers.length > 0) return pass(`PWA: web app manifest (${manifests[0].file}) and service worker (${workers[0].file})`, [...manifests, ...workers]);
  if (manifests.length > 0) return fail(`Web app manifest ${manifests[0].file} found, but no service worker`, manifests);
  if (workers.length > 0) return fail(`Service worker found (${workers[0].file}), but no web app manifest (manifest.webmanifest or manifest.json with start_url)`, workers);
  const frontEnd = webFrontEnd(context);
  if (frontEnd.length === 0) return notApplicable(open(`No PWA expected: ${NO_FRONT_END}`));
  return fail("Web front end without a web app manifest or service worker", frontEnd.slice(0, 1).map((site) => ({ ...site, note: `front end: ${site.note}` })));
};

// ---------------------------------------------------------------------------------------------
// business.product-analytics

const ANALYTICS_MODULES = [
  "posthog-js", "posthog-node", "posthog-react-native", "@posthog", "@segment/analytics-node", "@segment/analytics-next", "@segment/analytics-react-native", "analytics-node",
  "mixpanel", "mixpanel-browser", "@amplitude", "amplitude-js", "@rudderstack", "rudder-sdk-node", "reactjs-heap", "@heap", "plausible-tracker", "next-plausible",
  "@plausible-analytics/tracker", "@vercel/analytics", "@june-so/analytics-node", "@june-so", "@umami/node", "@snowplow", "@fullstory/browser", "@hotjar/browser",
  "analytics", "@analytics", "react-ga4", "vue-gtag", "@next/third-parties/google", "@openpanel", "@jitsu", "@aptabase",
];
const ANALYTICS_SCRIPT = /plausible\.io\/js|cloud\.umami\.is|umami\.is\/script|data-website-id|cdn\.segment\.com|cdn\.amplitude\.com|cdn\.heapanalytics\.com|heap\.load\s*\(|cdn\.mxpnl\.com|posthog\.init\s*\(|googletagmanager\.com\/gtag|static\.cloudflareinsights\.com/i;

function scriptName(match: string): string {
  const text = match.toLowerCase();
  for (const [needle, name] of [["plausible", "Plausible"], ["umami", "Umami"], ["data-website-id", "Umami"], ["segment", "Segment"], ["amplitude", "Amplitude"], ["heap", "Heap"], ["mxpnl", "Mixpanel"], ["posthog", "PostHog"], ["googletagmanager", "Google Analytics"], ["cloudflareinsights", "Cloudflare Web Analytics"]]) {
    if (text.includes(needle)) return name;
  }
  return match;
}

export const productAnalytics: Detector = (context) => {
  const libraries = usageOf(context, ANALYTICS_MODULES);
  const scripts = textSites(context, layoutFiles(context), ANALYTICS_SCRIPT, (match) => `${scriptName(match[0])} analytics script`);
  const evidence = [...libraries.imported, ...scripts];
  if (evidence.length > 0) return pass(`Product analytics: ${listNames([...libraries.importedNames, ...scripts.map((site) => site.note.replace(/ analytics script$/, ""))], 4)}`, evidence);
  if (libraries.declared.length > 0) return pass(`Product analytics declared (${listNames(libraries.declaredOnlyNames, 4)}); not seen imported by analysed sources`, libraries.declared);
  return fail("No product analytics (PostHog, Segment, Mixpanel, Amplitude, RudderStack, Heap, Plausible, Vercel Analytics, June, Umami)");
};

export const productDetectors: Record<string, Detector> = {
  "compliance.gdpr": gdpr,
  "compliance.privacy-policy": privacyPolicy,
  "compliance.terms": termsOfService,
  "compliance.cookie-consent": cookieConsent,
  "features.i18n": i18n,
  "features.pwa": pwa,
  "business.product-analytics": productAnalytics,
};
