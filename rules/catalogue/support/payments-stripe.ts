/**
 * Stripe clients and calls, and payment webhook handlers (Stripe, Paddle, Lemon Squeezy, Braintree,
 * PayPal): what a handler verifies, writes and records. Shared by `webhook-signature-unverified`,
 * `webhook-not-idempotent`, `payment-call-without-idempotency-key` and `unvalidated-input`.
 */
import ts = require("typescript");
import { calleeName, expressionPath, findDescendant, findVariableInitializer, getProperty, moduleOfLocal, propertyNameText, staticString, unwrap } from "../../ast";
import type { RuleContext, Visitors } from "../../types";
import { classifyDataCall, taggedSqlWrite } from "./payments-sinks";
import { type HandlerFunction, LocalFunctions, type NamedRegistration, NodeLog, RegistrationIndex, type RouteHandler, handlerOf, httpMethodOf, namedRegistrationOf, requestPartOf } from "./payments-routes";

type Ctx = Pick<RuleContext, "imports" | "sourceFile">;

// ---------------------------------------------------------------- Stripe clients and calls

const STRIPE_NAME = /^stripe(Client|Api|Sdk|Instance)?$/i;

/** `new Stripe(key)`, `Stripe(key)`, `require("stripe")(key)`, `new (require("stripe"))(key)`. */
export function isStripeConstruction(expression: ts.Expression, context: Pick<RuleContext, "imports">): boolean {
  let value = unwrap(expression);
  if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
  if (!ts.isNewExpression(value) && !ts.isCallExpression(value)) return false;
  let callee = unwrap(value.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === "default") callee = unwrap(callee.expression);
  if (ts.isIdentifier(callee)) return callee.text === "Stripe" || moduleOfLocal(context, callee.text) === "stripe";
  if (ts.isCallExpression(callee)) {
    return ts.isIdentifier(callee.expression) && callee.expression.text === "require" && staticString(callee.arguments[0]) === "stripe";
  }
  return false;
}

function isStripeType(type: ts.TypeNode | undefined): boolean {
  return !!type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === "Stripe";
}

/** `this.client` where the class declares `client = new Stripe(…)`, `client: Stripe`, or a constructor parameter `client: Stripe`. */
function isStripeMember(access: ts.PropertyAccessExpression, anchor: ts.Node, context: Pick<RuleContext, "imports">): boolean {
  const name = access.name.text;
  for (let current: ts.Node | undefined = anchor.parent; current; current = current.parent) {
    if (!ts.isClassLike(current)) continue;
    for (const member of current.members) {
      if (ts.isPropertyDeclaration(member) && propertyNameText(member.name) === name) {
        return isStripeType(member.type) || (member.initializer !== undefined && isStripeConstruction(member.initializer, context));
      }
      if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (ts.isIdentifier(parameter.name) && parameter.name.text === name && isStripeType(parameter.type)) return true;
        }
        for (const statement of member.body?.statements ?? []) {
          if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
          const { left, right, operatorToken } = statement.expression;
          if (operatorToken.kind === ts.SyntaxKind.EqualsToken && expressionPath(left) === `this.${name}` && isStripeConstruction(right, context)) return true;
        }
      }
    }
    return false;
  }
  return false;
}

/**
 * A Stripe client: `stripe`, `stripeClient`, `this.stripe`, a variable made by `new Stripe(…)`, a name
 * imported from a `…stripe…` module, `getStripe()`. `anchor` is a node whose parents are set (the
 * visited node): variables and class members are looked up from there.
 */
export function isStripeClient(expression: ts.Expression, context: Pick<RuleContext, "imports">, anchor: ts.Node = expression): boolean {
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) {
    if (STRIPE_NAME.test(value.text)) return true;
    const module = moduleOfLocal(context, value.text);
    if (module !== undefined) return module !== "stripe" && /stripe/i.test(module);
    const initializer = findVariableInitializer(anchor, value.text);
    return initializer !== undefined && isStripeConstruction(initializer, context);
  }
  if (ts.isPropertyAccessExpression(value)) {
    if (STRIPE_NAME.test(value.name.text)) return true;
    return value.expression.kind === ts.SyntaxKind.ThisKeyword && isStripeMember(value, anchor, context);
  }
  if (ts.isCallExpression(value)) {
    const name = calleeName(value);
    if (name && /^(get|use|create|init)?stripe(Client)?$/i.test(name)) return true;
    return isStripeConstruction(value, context);
  }
  return false;
}

export interface StripeCall {
  /** `paymentIntents`, `checkout.sessions`. */
  resource: string;
  method: string;
  /** `stripe.paymentIntents.create`. */
  client: ts.Expression;
}

/** A call on a Stripe resource: `stripe.paymentIntents.create(…)`, `this.stripe.checkout.sessions.create(…)`. */
export function stripeCallOf(call: ts.CallExpression, context: Pick<RuleContext, "imports">): StripeCall | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const segments: string[] = [];
  let current = unwrap(callee.expression);
  for (let depth = 0; depth < 3; depth++) {
    if (!ts.isPropertyAccessExpression(current) || !/^[a-z][A-Za-z]*$/.test(current.name.text)) return undefined;
    segments.unshift(current.name.text);
    const object = unwrap(current.expression);
    if (isStripeClient(object, context, call)) return { resource: segments.join("."), method: callee.name.text, client: object };
    current = object;
  }
  return undefined;
}

interface MoneyCall {
  noun: string;
  methods: Record<string, "create" | "id-first">;
}

/** The Stripe calls that move money or create billable objects, by resource. */
export const STRIPE_MONEY_CALLS: Record<string, MoneyCall> = {
  paymentIntents: { noun: "PaymentIntent", methods: { create: "create", confirm: "id-first", capture: "id-first" } },
  charges: { noun: "charge", methods: { create: "create", capture: "id-first" } },
  refunds: { noun: "refund", methods: { create: "create" } },
  subscriptions: { noun: "subscription", methods: { create: "create" } },
  "checkout.sessions": { noun: "Checkout Session", methods: { create: "create" } },
  invoices: { noun: "invoice", methods: { create: "create", pay: "id-first" } },
  invoiceItems: { noun: "invoice item", methods: { create: "create" } },
  customers: { noun: "customer", methods: { create: "create" } },
  transfers: { noun: "transfer", methods: { create: "create" } },
  payouts: { noun: "payout", methods: { create: "create" } },
  setupIntents: { noun: "SetupIntent", methods: { create: "create", confirm: "id-first" } },
  topups: { noun: "top-up", methods: { create: "create" } },
};

/** `create` or `id-first` when the call is one of `STRIPE_MONEY_CALLS`. */
export function moneyCallShape(stripe: StripeCall): "create" | "id-first" | undefined {
  const entry = Object.prototype.hasOwnProperty.call(STRIPE_MONEY_CALLS, stripe.resource) ? STRIPE_MONEY_CALLS[stripe.resource] : undefined;
  return entry && Object.prototype.hasOwnProperty.call(entry.methods, stripe.method) ? entry.methods[stripe.method] : undefined;
}

// Method names and last resource segments of `STRIPE_MONEY_CALLS`: a cheap test before `stripeCallOf`.
const MONEY_METHODS = new Set(Object.values(STRIPE_MONEY_CALLS).flatMap((entry) => Object.keys(entry.methods)));
const MONEY_RESOURCE_TAILS = new Set(Object.keys(STRIPE_MONEY_CALLS).map((resource) => resource.slice(resource.lastIndexOf(".") + 1)));

/** A Stripe call that moves money or creates a billable object (`STRIPE_MONEY_CALLS`), with its shape. */
export function moneyCallOf(call: ts.CallExpression, context: Pick<RuleContext, "imports">): { stripe: StripeCall; shape: "create" | "id-first" } | undefined {
  // Most calls are rejected by their last two names, before the (costlier) Stripe client lookup.
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !MONEY_METHODS.has(callee.name.text)) return undefined;
  const resource = unwrap(callee.expression);
  if (!ts.isPropertyAccessExpression(resource) || !MONEY_RESOURCE_TAILS.has(resource.name.text)) return undefined;
  const stripe = stripeCallOf(call, context);
  const shape = stripe && moneyCallShape(stripe);
  return shape ? { stripe: stripe!, shape } : undefined;
}

/**
 * Whether a Stripe call passes request options with an `idempotencyKey`: `present`, `absent`, or
 * `unknown` (an options variable, a spread: we cannot see inside, so we assume it is there).
 */
export function idempotencyKeyOf(call: ts.CallExpression, shape: "create" | "id-first"): "present" | "absent" | "unknown" {
  const first = shape === "create" ? 1 : 2;
  for (let index = 1; index < call.arguments.length; index++) {
    const argument = unwrap(call.arguments[index]);
    if (ts.isSpreadElement(call.arguments[index])) return "unknown";
    if (ts.isObjectLiteralExpression(argument)) {
      if (getProperty(argument, "idempotencyKey")) return "present";
      if (index >= first && argument.properties.some((property) => ts.isSpreadAssignment(property))) return "unknown";
    } else if (index >= first || shape === "id-first") {
      return "unknown";
    }
  }
  return "absent";
}

// ---------------------------------------------------------------- payment webhooks

const WEBHOOK_WORD = /web[-_]?hooks?/i;
const PAYMENT_WORD = /stripe|paddle|lemon[-_]?squeezy|braintree|paypal|billing|payment/i;
const PROVIDER_VERIFICATION = new Set(["constructEvent", "constructEventAsync", "unmarshal"]);
const VERIFICATION = /^(constructEvent|constructEventAsync|unmarshal|timingSafeEqual|createHmac|verify\w*|validate\w*(Signature|Webhook)\w*|is\w*Signature\w*Valid|check\w*Signature\w*)$/;
const VERIFYING_MIDDLEWARE = /verif|signature|webhookAuth/i;
const STRIPE_EVENT =
  /^(account|application_fee|balance|billing_portal\.\w+|capability|charge|charge\.dispute|checkout\.session|coupon|credit_note|customer|customer\.subscription|customer\.source|invoice|invoiceitem|issuing_\w+|mandate|payment_intent|payment_link|payment_method|payout|plan|price|product|promotion_code|quote|refund|review|setup_intent|subscription_schedule|tax_rate|topup|transfer|transaction|subscription|adjustment)\.[a-z_]+$/;
const LEMON_EVENT = /^(order|subscription|license_key)_(created|updated|refunded|cancelled|resumed|expired|paused|unpaused|payment_success|payment_failed|payment_recovered|payment_refunded|plan_changed)$/;
const PAYPAL_EVENT = /^(PAYMENT|BILLING|CHECKOUT|CUSTOMER|INVOICING)\.[A-Z_]+(\.[A-Z_]+)+$/;
const TYPE_PROPERTIES = new Set(["type", "event_type", "eventType", "event_name", "alert_name", "kind"]);
const SIGNATURE_HEADER = /sig/i;
const EVENT_PARAMETER = /^(event|evt|stripeEvent|webhookEvent)$/;
const LOGGER = /^(console|logger|log|this\.logger|this\.log|fastify\.log|app\.log|req\.log|request\.log|ctx\.log|Sentry)$/;
const BODY_READERS = /^(buffer|getRawBody|rawBody|readBody|readRawBody|text|json|arrayBuffer|getBody|parse)$/;

/**
 * `constructEvent`, `constructEventAsync`, Paddle `unmarshal`, HMAC/`timingSafeEqual`, svix `verify`,
 * `verify…Signature` helpers, Braintree `webhookNotification.parse`, and re-fetching the event from
 * Stripe (`stripe.events.retrieve(id)`), which only returns genuine events.
 */
export function isVerificationCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name && VERIFICATION.test(name)) return true;
  const path = verifyingPathOf(call, name);
  return path !== undefined && /(webhookNotification\.parse|\.events\.retrieve)$/.test(path);
}

/** A verification call whose result is the event: `constructEvent`, `unmarshal`, svix `verify`, `webhookNotification.parse`, `events.retrieve`. */
export function isEventProducingCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name && /^(constructEvent|constructEventAsync|unmarshal|verify)$/.test(name)) return true;
  const path = verifyingPathOf(call, name);
  return path !== undefined && /(webhookNotification\.parse|\.events\.retrieve)$/.test(path);
}

function isProviderVerification(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name && PROVIDER_VERIFICATION.has(name)) return true;
  const path = verifyingPathOf(call, name);
  return path !== undefined && /webhookNotification\.parse$/.test(path);
}

/**
 * The callee's `expressionPath` when it may be `….webhookNotification.parse` / `….events.retrieve`
 * (its last name, `name`, ends like them); `undefined` otherwise. Spares building a path for every call.
 */
function verifyingPathOf(call: ts.CallExpression, name: string | undefined): string | undefined {
  return name !== undefined && (name.endsWith("parse") || name.endsWith("retrieve")) ? expressionPath(call.expression) : undefined;
}

function isVerifyingMiddleware(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  const name = ts.isCallExpression(value) ? calleeName(value) : ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && VERIFYING_MIDDLEWARE.test(name);
}

export interface WebhookWrite {
  node: ts.Node;
  /** An upsert, `ON CONFLICT`, `{ upsert: true }`, or a Stripe call with an idempotency key. */
  idempotent: boolean;
}

export interface WebhookFacts {
  payment: boolean;
  /** The first verification call or verifying middleware. */
  verification?: ts.Node;
  /** The check may happen elsewhere: the request or the signature header is handed to code we cannot see, or a Nest guard runs first. */
  delegated: boolean;
  eventTypeRead?: ts.Node;
  writes: WebhookWrite[];
  eventIdUse?: ts.Node;
  anchor: ts.Node;
  /** How the handler is described in messages: its path or name. */
  label: string;
}

interface Scope {
  fn: HandlerFunction;
  depth: number;
  requestNames: Set<string>;
  /** Variables holding the whole event: `const event = req.body`, `= constructEvent(…)`. */
  eventNames: Set<string>;
  bodyNames: Set<string>;
  /** Variables destructured from the body or the event (`const { meta, data } = req.body`): their `.event_name` is an event type. */
  derivedNames: Set<string>;
}

function isLoggerCall(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = expressionPath(callee.expression);
  return receiver !== undefined && LOGGER.test(receiver);
}

function isSignatureHeaderRead(node: ts.Node): boolean {
  if (ts.isElementAccessExpression(node)) {
    const key = staticString(node.argumentExpression);
    return key !== undefined && SIGNATURE_HEADER.test(key) && /header/i.test(expressionPath(node.expression) ?? "");
  }
  if (ts.isCallExpression(node)) {
    const name = calleeName(node);
    const key = staticString(node.arguments[0]);
    return key !== undefined && SIGNATURE_HEADER.test(key) && /^(get|header|getHeader|headers)$/.test(name ?? "");
  }
  return false;
}

/**
 * What the webhook rules note while the engine walks, so that `analyzeWebhook` need not walk handlers:
 * the nodes its scan looks at, where a handler may show that it is a payment webhook (provider
 * verification calls, provider event names compared with something) and the calls to same-file
 * functions (to follow a handler into its helpers). Make one per file in the rule's `create`, and
 * merge `webhookNoteVisitors` into its visitors (its `CallExpression` visitor calls `noteCall`).
 */
export class WebhookNotes {
  readonly functions: LocalFunctions;
  /** What `scanWebhook` acts on: declarations, assignments, calls, tagged templates, event-type reads, compared event names. */
  readonly log = new NodeLog();
  private readonly evidence = new NodeLog();
  private readonly localCalls = new NodeLog<ts.CallExpression>();
  private readonly lemon: boolean;

  constructor(context: Ctx & Pick<RuleContext, "text">) {
    this.functions = new LocalFunctions(context.sourceFile);
    this.lemon = context.text.includes("event_name");
  }

  noteCall(call: ts.CallExpression): void {
    this.log.add(call);
    if (isProviderVerification(call)) this.evidence.add(call);
    if (this.functions.calledBy(call)) this.localCalls.add(call);
  }

  noteLiteral(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): void {
    if (!isComparedEventName(node, this.lemon)) return;
    this.log.add(node);
    this.evidence.add(node);
  }

  /**
   * False when no evidence lies in the body of `fn` nor in the bodies of the same-file functions it
   * calls, two levels down: everything `scanWebhook` could look at. Call once the walk is done.
   */
  inReach(fn: HandlerFunction): boolean {
    if (this.evidence.nodes.length === 0) return false;
    let level: HandlerFunction[] = [fn];
    const seen = new Set<HandlerFunction>(level);
    for (let depth = 0; depth <= 2 && level.length > 0; depth++) {
      const next: HandlerFunction[] = [];
      for (const scope of level) {
        const body = scope.body;
        if (!body) continue;
        if (this.evidence.anyIn(body.pos, body.end)) return true;
        const calls = this.localCalls.nodes;
        for (let i = this.localCalls.firstFrom(body.pos); i < calls.length && calls[i].pos < body.end; i++) {
          const target = this.functions.calledBy(calls[i]);
          if (target && !seen.has(target)) {
            seen.add(target);
            next.push(target);
          }
        }
      }
      level = next;
    }
    return false;
  }
}

/** The visitors filling `notes`, but for `CallExpression` (the rule's own visitor calls `notes.noteCall`). */
export function webhookNoteVisitors(notes: WebhookNotes): Visitors {
  const log = notes.log;
  return {
    [ts.SyntaxKind.VariableDeclaration]: (node: ts.VariableDeclaration) => {
      if (node.initializer) log.add(node);
    },
    [ts.SyntaxKind.BinaryExpression]: (node: ts.BinaryExpression) => {
      if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) log.add(node);
    },
    [ts.SyntaxKind.TaggedTemplateExpression]: (node: ts.TaggedTemplateExpression) => log.add(node),
    [ts.SyntaxKind.PropertyAccessExpression]: (node: ts.PropertyAccessExpression) => {
      if (TYPE_PROPERTIES.has(node.name.text)) log.add(node);
    },
    [ts.SyntaxKind.StringLiteral]: (node: ts.StringLiteral) => notes.noteLiteral(node),
    [ts.SyntaxKind.NoSubstitutionTemplateLiteral]: (node: ts.NoSubstitutionTemplateLiteral) => notes.noteLiteral(node),
  };
}

/**
 * What a payment webhook handler verifies, writes and records; `undefined` when the handler is not a
 * payment webhook. Looks into same-file helpers it calls (two levels). Call from `onEnd`, with the
 * file's named registrations and what the walk noted.
 */
export function analyzeWebhook(
  handler: RouteHandler,
  context: Ctx & Pick<RuleContext, "file" | "text" | "shared">,
  registrations: RegistrationIndex,
  notes: WebhookNotes,
): WebhookFacts | undefined {
  const shared = context.shared;
  if (!shared) return findWebhook(handler, context, registrations, notes);
  // Both webhook rules ask about the same handlers (shared by `handlerOf`), with registrations and notes
  // from identical walks of the same file: analyse each handler once per file.
  let memo = shared.get(WEBHOOKS) as Map<RouteHandler, WebhookFacts | null> | undefined;
  if (!memo) shared.set(WEBHOOKS, (memo = new Map()));
  let facts = memo.get(handler);
  if (facts === undefined) memo.set(handler, (facts = findWebhook(handler, context, registrations, notes) ?? null));
  return facts ?? undefined;
}

const WEBHOOKS = Symbol("analyzeWebhook");

function findWebhook(handler: RouteHandler, context: Ctx & Pick<RuleContext, "file" | "text">, registrations: RegistrationIndex, notes: WebhookNotes): WebhookFacts | undefined {
  // Providers always POST: a GET/PUT/DELETE route (e.g. managing webhook settings) is not a receiver.
  const method = httpMethodOf(handler);
  if (method !== undefined && !/^(post|all|use)$/.test(method)) return undefined;
  // Most handlers are no payment webhook: without a webhook name, it takes a verification call or a
  // compared event name in reach. Only then does the (costly) analysis run.
  if (!isPaymentByName(handler, context, registrations) && !notes.inReach(handler.fn)) return undefined;
  const facts = scanWebhook(handler, context, registrations, notes);
  return facts.payment ? facts : undefined;
}

/** A payment webhook by its path, name or file: `/webhooks/stripe`, `handleStripeWebhook`, `billing-webhook.ts`. */
function isPaymentByName(handler: RouteHandler, context: Pick<RuleContext, "file">, registrations: RegistrationIndex): boolean {
  const paths = [handler.route?.path, handler.nest?.path, ...registrations.named(handler.name).map((registration) => registration.route.path)].filter((path): path is string => !!path);
  const names = [handler.name, handler.nest?.className && `${handler.nest.className}.${handler.name ?? ""}`].filter((name): name is string => !!name);
  return (
    paths.some((path) => WEBHOOK_WORD.test(path) && PAYMENT_WORD.test(path)) ||
    names.some((name) => WEBHOOK_WORD.test(name) && PAYMENT_WORD.test(name)) ||
    (WEBHOOK_WORD.test(context.file) && PAYMENT_WORD.test(context.file))
  );
}

/** What a handler (with the helpers it calls) shows about being a payment webhook, verifying, writing, recording event ids. */
function scanWebhook(handler: RouteHandler, context: Ctx & Pick<RuleContext, "file" | "text">, registrations: RegistrationIndex, notes: WebhookNotes): WebhookFacts {
  const sourceFile = context.sourceFile;
  const facts: WebhookFacts = { payment: false, delegated: false, writes: [], anchor: handler.fn, label: "" };
  const ownRegistrations = registrations.named(handler.name);
  let payment = isPaymentByName(handler, context, registrations);

  for (const middleware of [...(handler.route?.middlewares ?? []), ...handler.siblings, ...ownRegistrations.flatMap((registration) => registration.route.middlewares)]) {
    if (isVerifyingMiddleware(middleware)) facts.verification ??= middleware;
  }
  if (handler.nest?.guarded) facts.delegated = true;

  let paymentEvents = false;
  const sigNames = new Set<string>();
  const eventIdNames = new Set<string>();
  const rootBodyNames = new Set<string>();
  for (const param of handler.nestParams) {
    if (param.decorator === "Body" && param.key === undefined) rootBodyNames.add(param.name);
    if (param.decorator === "Headers" && param.key !== undefined && SIGNATURE_HEADER.test(param.key)) sigNames.add(param.name);
  }
  for (const [local, part] of handler.requestParts) if (part === "body" || part === "rawBody") rootBodyNames.add(local);

  const queue: Scope[] = [{ fn: handler.fn, depth: 0, requestNames: handler.requestNames, eventNames: new Set(), bodyNames: rootBodyNames, derivedNames: new Set() }];
  const seen = new Set<ts.Node>([handler.fn]);
  for (let index = 0; index < queue.length && index < 8; index++) {
    const scope = queue[index];
    const pseudo = { requestNames: scope.requestNames } as RouteHandler;
    const isBody = (expression: ts.Expression): boolean => {
      let value = unwrap(expression);
      if (ts.isIdentifier(value)) return scope.bodyNames.has(value.text) || scope.eventNames.has(value.text);
      if (requestPartOf(value, pseudo) === "body") return true;
      if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
      if (ts.isPropertyAccessExpression(value) && value.name.text === "rawBody") return true;
      if (ts.isCallExpression(value)) {
        const name = calleeName(value);
        if (name === "parse" && expressionPath(value.expression) === "JSON.parse") return true;
        if (name && BODY_READERS.test(name) && value.arguments.some((argument) => ts.isIdentifier(unwrap(argument)) && scope.requestNames.has((unwrap(argument) as ts.Identifier).text))) return true;
        const callee = unwrap(value.expression);
        if ((name === "text" || name === "json") && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(unwrap(callee.expression)) && scope.requestNames.has((unwrap(callee.expression) as ts.Identifier).text)) return true;
      }
      return false;
    };
    for (const parameter of scope.fn.parameters) {
      if (index > 0 && ts.isIdentifier(parameter.name) && EVENT_PARAMETER.test(parameter.name.text)) scope.eventNames.add(parameter.name.text);
    }
    const body = scope.fn.body;
    if (!body) continue;

    // Pass 1: what the variables hold.
    const bind = (name: ts.BindingName, initializer: ts.Expression) => {
      let value = unwrap(initializer);
      if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
      if (ts.isIdentifier(name)) {
        if (ts.isCallExpression(value) && isEventProducingCall(value)) scope.eventNames.add(name.text);
        else if (isBody(value)) scope.eventNames.add(name.text);
        if (isSignatureHeaderRead(value) || findDescendant(value, isSignatureHeaderRead)) sigNames.add(name.text);
        return;
      }
      if (ts.isObjectBindingPattern(name)) {
        const fromEvent = isBody(value);
        const fromHeaders = /headers/i.test(value.getText(sourceFile));
        // `const { body } = req`: only an identifier (or `this`, a parameter name too) has a request name for text.
        const fromRequest = (ts.isIdentifier(value) || value.kind === ts.SyntaxKind.ThisKeyword) && scope.requestNames.has(value.getText(sourceFile));
        for (const element of name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const key = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
          if (fromEvent) scope.derivedNames.add(element.name.text);
          if (fromEvent && key === "id") eventIdNames.add(element.name.text);
          if (fromEvent && key !== undefined && TYPE_PROPERTIES.has(key)) facts.eventTypeRead ??= element;
          if (fromHeaders && key !== undefined && SIGNATURE_HEADER.test(key)) sigNames.add(element.name.text);
          if (fromRequest && key === "body") scope.bodyNames.add(element.name.text);
        }
      }
    };
    // The noted nodes inside the body (not the body itself), in source order, as a walk of it would meet them.
    const nodes = notes.log.nodes;
    const first = notes.log.firstFrom(body.pos);
    const inBody = (i: number) => i < nodes.length && nodes[i].pos < body.end;
    for (let i = first; inBody(i); i++) {
      const node = nodes[i];
      if (node === body) continue;
      if (ts.isVariableDeclaration(node) && node.initializer) bind(node.name, node.initializer);
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) bind(node.left, node.right);
    }

    // Pass 2: what the handler does.
    const isEventId = (node: ts.Node): boolean => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === "id") {
        const object = unwrap(node.expression);
        return ts.isIdentifier(object) && scope.eventNames.has(object.text);
      }
      if (ts.isElementAccessExpression(node) && staticString(node.argumentExpression) === "id") {
        const object = unwrap(node.expression);
        return ts.isIdentifier(object) && scope.eventNames.has(object.text);
      }
      if (ts.isIdentifier(node) && eventIdNames.has(node.text)) {
        const parent = node.parent;
        return !(parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)));
      }
      return false;
    };
    // With no event nor event-id name (yet), `isEventId` holds for no node: skip the subtree search.
    const eventIdIn = (node: ts.Node): ts.Node | undefined =>
      scope.eventNames.size === 0 && eventIdNames.size === 0 ? undefined : isEventId(node) ? node : findDescendant(node, isEventId);
    for (let i = first; inBody(i); i++) {
      const node = nodes[i];
      if (node === body) continue;
      if (ts.isCallExpression(node)) {
        if (isVerificationCall(node)) {
          facts.verification ??= node;
          if (isProviderVerification(node)) payment = true;
        }
        const data = classifyDataCall(node, context);
        if (data?.write) facts.writes.push({ node, idempotent: data.upsert });
        const money = moneyCallOf(node, context);
        if (money) facts.writes.push({ node, idempotent: idempotencyKeyOf(node, money.shape) !== "absent" });
        const logger = isLoggerCall(node);
        if (!logger && !facts.eventIdUse) {
          for (const argument of node.arguments) {
            const use = eventIdIn(argument);
            if (use) {
              facts.eventIdUse = use;
              break;
            }
          }
        }
        const local = notes.functions.calledBy(node);
        if (local && !seen.has(local) && scope.depth < 2) {
          seen.add(local);
          const requestNames = new Set<string>();
          const eventNames = new Set<string>();
          const bodyNames = new Set<string>();
          node.arguments.forEach((argument, position) => {
            const parameter = local.parameters[position];
            if (!parameter || !ts.isIdentifier(parameter.name)) return;
            const value = unwrap(argument);
            if (ts.isIdentifier(value) && scope.requestNames.has(value.text)) requestNames.add(parameter.name.text);
            else if (ts.isIdentifier(value) && scope.eventNames.has(value.text)) eventNames.add(parameter.name.text);
            else if (isBody(value)) bodyNames.add(parameter.name.text);
          });
          queue.push({ fn: local, depth: scope.depth + 1, requestNames, eventNames, bodyNames, derivedNames: new Set() });
        }
        if (!local && !logger && !isVerificationCall(node) && !BODY_READERS.test(calleeName(node) ?? "")) {
          const handsOver = node.arguments.some((argument) => {
            const value = unwrap(argument);
            if (ts.isIdentifier(value) && scope.requestNames.has(value.text)) return true;
            return !!findDescendant(argument, (n) => (ts.isIdentifier(n) && sigNames.has(n.text)) || isSignatureHeaderRead(n)) || (ts.isIdentifier(value) && sigNames.has(value.text)) || isSignatureHeaderRead(value);
          });
          if (handsOver) facts.delegated = true;
        }
      } else if (ts.isTaggedTemplateExpression(node)) {
        const sql = taggedSqlWrite(node);
        if (sql) facts.writes.push({ node, idempotent: sql.upsert });
        if (!facts.eventIdUse) facts.eventIdUse = findDescendant(node.template, isEventId);
      } else if (ts.isPropertyAccessExpression(node) && TYPE_PROPERTIES.has(node.name.text) && !facts.eventTypeRead) {
        // `event.type`, `req.body.type`, `payload.meta.event_name` (one level in), `meta.event_name` after destructuring.
        const object = unwrap(node.expression);
        const holds = (expression: ts.Expression) => isBody(expression) || (ts.isIdentifier(expression) && scope.derivedNames.has(expression.text));
        if (holds(object) || (ts.isPropertyAccessExpression(object) && holds(unwrap(object.expression)))) facts.eventTypeRead = node;
      } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        paymentEvents = true; // only compared event names are noted
      }
    }
  }
  // Provider event types count only when the type is read from the body (not from `stripe.events.retrieve`).
  facts.payment = payment || (paymentEvents && facts.eventTypeRead !== undefined);
  const label = handler.route?.path ?? (handler.nest ? `/${handler.nest.path}` : handler.name) ?? "this handler";
  facts.label = label;
  facts.anchor = handler.route?.pathNode ?? handler.nameNode ?? facts.eventTypeRead ?? handler.fn.parameters[0] ?? handler.fn;
  return facts;
}

/** A provider event name compared with something: `case "invoice.paid":`, `type === "…"`, `["…", …]`, `{ "…": handle }`. */
function isComparedEventName(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, lemon: boolean): boolean {
  const parent = node.parent;
  const compared =
    (parent && ts.isCaseClause(parent)) ||
    (parent && ts.isBinaryExpression(parent) && isEqualityOperator(parent.operatorToken.kind)) ||
    (parent && ts.isArrayLiteralExpression(parent)) ||
    (parent && ts.isPropertyAssignment(parent) && parent.name === node);
  if (!compared) return false;
  const text = node.text;
  return STRIPE_EVENT.test(text) || PAYPAL_EVENT.test(text) || (lemon && LEMON_EVENT.test(text));
}

function isEqualityOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

/** The detail of a `signature-verified` signal for a handler verified by a middleware in its (other-file) registration. */
export function verifiedHandlerDetail(name: string): string {
  return `handler:${name}`;
}

export const SIGNALS = {
  webhook: "reliability.webhook-idempotency:webhook",
  verified: "reliability.webhook-idempotency:signature-verified",
  eventId: "reliability.webhook-idempotency:event-id-recorded",
} as const;

/** Registrations in this file whose middlewares verify the signature, by handler name (for handlers written in other files). */
export function verifiedRegistrations(registrations: readonly NamedRegistration[]): NamedRegistration[] {
  return registrations.filter((registration) => registration.route.middlewares.some((middleware) => isVerifyingMiddleware(middleware)));
}

/** What the webhook rules learn from one walk: every route handler, the named registrations, and the file's webhook notes. */
export interface WebhookWalk {
  handlers: RouteHandler[];
  registrations: NamedRegistration[];
  byName: RegistrationIndex;
  notes: WebhookNotes;
}

/** The visitors both webhook rules need; `done` runs once the walk has seen the whole file. */
export function webhookWalkVisitors(context: RuleContext, done: (walk: WebhookWalk) => void): Visitors {
  const handlers: RouteHandler[] = [];
  const registrations: NamedRegistration[] = [];
  const notes = new WebhookNotes(context);
  const onFunction = (node: HandlerFunction) => {
    const handler = handlerOf(node, context);
    if (handler) handlers.push(handler);
  };
  return {
    ...webhookNoteVisitors(notes),
    [ts.SyntaxKind.FunctionDeclaration]: onFunction,
    [ts.SyntaxKind.FunctionExpression]: onFunction,
    [ts.SyntaxKind.ArrowFunction]: onFunction,
    [ts.SyntaxKind.MethodDeclaration]: onFunction,
    [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
      notes.noteCall(node);
      const registration = namedRegistrationOf(node);
      if (registration) registrations.push(registration);
    },
    onEnd() {
      done({ handlers, registrations, byName: new RegistrationIndex(registrations), notes });
    },
  };
}
