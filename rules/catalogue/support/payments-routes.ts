/**
 * Request handlers and their routes, as the payments/input-validation rules see them: Express and Koa
 * `router.post(path, ...middlewares, handler)`, Fastify `fastify.post(path, { schema }, handler)` and
 * `fastify.route({ url, schema, handler })`, Hapi `server.route({ path, options, handler })`, NestJS
 * controller methods, and free `(req, res)` / `(request, reply)` / `(ctx)` functions. Shared by
 * `unvalidated-input`, `webhook-signature-unverified` and `webhook-not-idempotent`.
 *
 * Collect handlers while the engine walks (`handlerOf` from a function visitor: ancestors have
 * parents then) and named registrations (`namedRegistrationOf` from a call visitor); decide in `onEnd`.
 */
import ts = require("typescript");
import { calleeName, getProperty, isRequestHandler, propertyNameText, staticString, unwrap } from "../../ast";
import type { RuleContext } from "../../types";

export type HandlerFunction = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

// A handler is one of the `HandlerFunction` kinds: a rule registers a visitor for each, written out
// in its visitors' object literal. (Adding closures to that object afterwards, `visitors[kind] = …`,
// makes V8 keep every file's tree alive until a full GC, so each young-generation GC copies them all.)

export interface RouteInfo {
  /** The registration call (`app.post(...)`, `fastify.route({...})`). */
  call: ts.CallExpression;
  /** `post`, `get`, `use`, `route`… */
  method: string;
  path?: string;
  pathNode?: ts.Expression;
  /** Middlewares between the path and the handler, arrays flattened. */
  middlewares: ts.Expression[];
  /** Fastify/Hapi/koa-joi-router route options (`{ schema, handler }`, `{ options: { validate } }`). */
  options?: ts.ObjectLiteralExpression;
}

export interface NestParam {
  /** `Body`, `Query`, `Param`, `Headers`, `Req`… */
  decorator: string;
  /** `@Body("email")` → `email`. */
  key?: string;
  /** The decorator's arguments after the key (pipes). */
  pipes: readonly ts.Expression[];
  name: string;
  parameter: ts.ParameterDeclaration;
}

export interface NestRoute {
  /** `@Controller("stripe")` + `@Post("webhook")` → `stripe/webhook`. */
  path: string;
  /** The HTTP decorator: `Post`, `Get`… */
  verb: string;
  className?: string;
  /** `@UseGuards(...)` on the method or its controller. */
  guarded: boolean;
  /** `@UsePipes(...)` on the method or its controller. */
  pipes: boolean;
}

export interface RouteHandler {
  fn: HandlerFunction;
  body: ts.ConciseBody;
  /** Names bound to the request object: `req`, `request`, `ctx`, a Nest `@Req() req`. */
  requestNames: Set<string>;
  /** Locals destructured from the request parameter: local name → request property (`({ body }) =>`). */
  requestParts: Map<string, string>;
  nestParams: NestParam[];
  nest?: NestRoute;
  /** The registration when the handler is written inline in it. */
  route?: RouteInfo;
  /** The other arguments of the call the handler is passed to inline, route or not (middlewares we may not recognise as a route). */
  siblings: ts.Expression[];
  /** Function, variable, property or method name. */
  name?: string;
  nameNode?: ts.Node;
}

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route"]);
const HTTP_DECORATORS = /^(Get|Post|Put|Patch|Delete|All|Head|Options)$/;
const NON_ROUTER_RECEIVERS = /^(https?|axios|got|ky|superagent|request|fetch|needle|client|\$|cache|map|store|redis|params|headers|searchParams|formData|localStorage|sessionStorage|config|res|reply|response)$/i;

function receiverName(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = unwrap(callee.expression);
  if (ts.isIdentifier(receiver)) return receiver.text;
  if (ts.isPropertyAccessExpression(receiver)) return receiver.name.text;
  if (ts.isCallExpression(receiver)) return calleeName(receiver);
  return undefined;
}

function pathTextOf(node: ts.Expression): string | undefined {
  const value = unwrap(node);
  const text = staticString(value);
  if (text !== undefined) return text;
  if (ts.isTemplateExpression(value)) return value.head.text + value.templateSpans.map((span) => "*" + span.literal.text).join("");
  if (ts.isArrayLiteralExpression(value)) {
    const parts = value.elements.map((element) => pathTextOf(element)).filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join(" ") : undefined;
  }
  if (ts.isRegularExpressionLiteral(value)) return value.text;
  return undefined;
}

/** A first argument that is a route path: `"/users"`, `` `/api/${v}` ``, `/^\/x/`, `["/a", "/b"]`. */
function isPathArgument(node: ts.Expression): boolean {
  const value = unwrap(node);
  if (ts.isRegularExpressionLiteral(value)) return true;
  if (ts.isArrayLiteralExpression(value)) return value.elements.length > 0 && value.elements.every((element) => isPathArgument(element));
  const text = pathTextOf(value);
  return text !== undefined && (text.startsWith("/") || text === "*" || text === "");
}

/** The route a call registers, with the handler at argument `handlerArg`. */
export function routeOfCall(call: ts.CallExpression, handlerArg: ts.Node): RouteInfo | undefined {
  const method = calleeName(call);
  if (!method || !ROUTE_METHODS.has(method)) return undefined;
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  // The handler comes last.
  const args = call.arguments;
  const index = args.length - 1;
  if (args[index] !== handlerArg) return undefined;
  const receiver = receiverName(call);
  if (receiver && NON_ROUTER_RECEIVERS.test(receiver)) return undefined;
  let start = 0;
  let path: string | undefined;
  let pathNode: ts.Expression | undefined;
  if (index > 0 && isPathArgument(args[0])) {
    pathNode = args[0];
    path = pathTextOf(args[0]);
    start = 1;
  } else {
    // `router.route("/x").post(handler)`
    const inner = unwrap(callee.expression);
    if (ts.isCallExpression(inner) && calleeName(inner) === "route" && inner.arguments[0] && isPathArgument(inner.arguments[0])) {
      pathNode = inner.arguments[0];
      path = pathTextOf(inner.arguments[0]);
    } else if (method !== "use" && method !== "route") {
      return undefined;
    }
  }
  const middlewares: ts.Expression[] = [];
  let options: ts.ObjectLiteralExpression | undefined;
  for (let i = start; i < index; i++) {
    const argument = unwrap(args[i]);
    if (ts.isObjectLiteralExpression(argument)) options = argument;
    else if (ts.isArrayLiteralExpression(argument)) middlewares.push(...argument.elements.filter((element) => !ts.isSpreadElement(element)));
    else middlewares.push(argument);
  }
  return { call, method, path, pathNode, middlewares, options };
}

/** `fastify.route({ url, schema, handler })`, `fastify.post("/x", { schema, handler })`, Hapi `server.route({ path, options, handler })`. */
function routeOfOptions(object: ts.ObjectLiteralExpression): RouteInfo | undefined {
  const call = object.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((argument) => unwrap(argument) === object)) return undefined;
  const method = calleeName(call);
  if (!method || !ROUTE_METHODS.has(method) || !ts.isPropertyAccessExpression(unwrap(call.expression))) return undefined;
  const receiver = receiverName(call);
  if (receiver && NON_ROUTER_RECEIVERS.test(receiver)) return undefined;
  let pathNode: ts.Expression | undefined;
  for (const key of ["url", "path"]) {
    const property = getProperty(object, key);
    if (property && ts.isPropertyAssignment(property)) pathNode = property.initializer;
  }
  if (!pathNode && call.arguments[0] && unwrap(call.arguments[0]) !== object && isPathArgument(call.arguments[0])) pathNode = call.arguments[0];
  if (method === "route" && !pathNode) return undefined;
  if (method !== "route" && !pathNode) return undefined;
  return { call, method, path: pathNode ? pathTextOf(pathNode) : undefined, pathNode, middlewares: [], options: object };
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression)) return calleeName(expression);
  if (ts.isIdentifier(expression)) return expression.text;
  return undefined;
}

function decoratorPath(decorator: ts.Decorator): string {
  const expression = decorator.expression;
  if (!ts.isCallExpression(expression)) return "";
  const first = expression.arguments[0];
  if (!first) return "";
  const text = staticString(first);
  if (text !== undefined) return text;
  const value = unwrap(first);
  if (ts.isObjectLiteralExpression(value)) {
    const property = getProperty(value, "path");
    if (property && ts.isPropertyAssignment(property)) return staticString(property.initializer) ?? "";
  }
  if (ts.isArrayLiteralExpression(value)) return value.elements.map((element) => staticString(element) ?? "").join(" ");
  return "";
}

function nestRouteOf(fn: ts.MethodDeclaration): NestRoute | undefined {
  const method = decoratorsOf(fn).find((decorator) => HTTP_DECORATORS.test(decoratorName(decorator) ?? ""));
  if (!method || !ts.isCallExpression(method.expression)) return undefined;
  const owner = fn.parent;
  const classDecorators = ts.isClassLike(owner) ? decoratorsOf(owner) : [];
  const controller = classDecorators.find((decorator) => decoratorName(decorator) === "Controller");
  const all = [...decoratorsOf(fn), ...classDecorators];
  const path = [controller ? decoratorPath(controller) : "", decoratorPath(method)].filter((part) => part !== "").join("/");
  return {
    path,
    verb: decoratorName(method) ?? "",
    className: ts.isClassLike(owner) && owner.name ? owner.name.text : undefined,
    guarded: all.some((decorator) => decoratorName(decorator) === "UseGuards"),
    pipes: all.some((decorator) => decoratorName(decorator) === "UsePipes"),
  };
}

function nestParamsOf(fn: HandlerFunction): NestParam[] {
  const params: NestParam[] = [];
  for (const parameter of fn.parameters) {
    if (!ts.isIdentifier(parameter.name)) continue;
    for (const decorator of decoratorsOf(parameter)) {
      const name = decoratorName(decorator);
      if (!name) continue;
      const args = ts.isCallExpression(decorator.expression) ? decorator.expression.arguments : undefined;
      const key = args && args[0] ? staticString(args[0]) : undefined;
      const pipes = args ? args.filter((_, index) => !(index === 0 && key !== undefined)) : [];
      params.push({ decorator: name, key, pipes, name: parameter.name.text, parameter });
    }
  }
  return params;
}

const FRAMEWORK_REQUEST_TYPE = /^(express\.|Express\.)?(Request|NextRequest|NextApiRequest|FastifyRequest|IncomingMessage|Context|ParameterizedContext|RouterContext|Koa\.Context|Koa\.ParameterizedContext)$/;
const SECOND_PARAMETER = /^(res|response|reply|rep|h|next|_res|_reply)$/;

/**
 * A function not registered in sight: `(req, res)`, `(request, reply)`, `(ctx)`/`(ctx, next)`, or a lone
 * `req`/`request` parameter in a Next.js route handler (`export async function POST(req)`) or typed as a
 * framework request. A lone `request: SearchRequest` in a helper is not a handler.
 */
function looksLikeFreeHandler(fn: HandlerFunction): boolean {
  const [first, second] = fn.parameters;
  if (!first || !ts.isIdentifier(first.name)) return false;
  if (first.name.text === "ctx") return true;
  if (second && ts.isIdentifier(second.name) && SECOND_PARAMETER.test(second.name.text)) return true;
  const name = nameOf(fn).name;
  if (name && /^(GET|POST|PUT|PATCH|DELETE|handler)$/.test(name)) return true;
  const type = first.type;
  if (type && ts.isTypeReferenceNode(type)) {
    const typeName = ts.isIdentifier(type.typeName) ? type.typeName.text : `${ts.isIdentifier(type.typeName.left) ? type.typeName.left.text : ""}.${type.typeName.right.text}`;
    return FRAMEWORK_REQUEST_TYPE.test(typeName);
  }
  return false;
}

/**
 * Cheap test for what both `isRequestHandler` and `looksLikeFreeHandler` need: a first parameter that
 * is a plain name, and that name `req`, `request` or `ctx` unless the function is a (decorated) method.
 */
function mayBeFreeHandler(fn: HandlerFunction): boolean {
  const first = fn.parameters[0];
  if (!first || !ts.isIdentifier(first.name)) return false;
  const name = first.name.text;
  return name === "req" || name === "request" || name === "ctx" || ts.isMethodDeclaration(fn);
}

/** The name a function is known by: declaration, method, variable, property, or the variable of its wrapper call. */
function nameOf(fn: HandlerFunction): { name?: string; nameNode?: ts.Node } {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) {
    const name = propertyNameText(fn.name);
    if (name) return { name, nameNode: fn.name };
  }
  let current: ts.Node = fn;
  // `const createUser = asyncHandler(async (req, res) => {...})`
  if (current.parent && ts.isCallExpression(current.parent) && current.parent.arguments.length === 1) current = current.parent;
  const parent = current.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { name: parent.name.text, nameNode: parent.name };
  if (parent && (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) {
    const name = propertyNameText(parent.name);
    if (name) return { name, nameNode: parent.name };
  }
  return {};
}

/**
 * The handler a function is, or `undefined`: a route argument, a Fastify/Hapi `handler`, a NestJS route
 * method, or a free function whose parameters look like `(req, res)` / `(request, reply)` / `(ctx)`.
 * Functions registered with `app.use(fn)` without a path are middlewares, not handlers.
 */
export function handlerOf(fn: HandlerFunction, context?: Pick<RuleContext, "shared">): RouteHandler | undefined {
  const shared = context?.shared;
  if (!shared) return findHandler(fn);
  // Several rules ask for every function of a file: decide each once per file.
  let memo = shared.get(HANDLERS) as Map<HandlerFunction, RouteHandler | null> | undefined;
  if (!memo) shared.set(HANDLERS, (memo = new Map()));
  let handler = memo.get(fn);
  if (handler === undefined) memo.set(fn, (handler = findHandler(fn) ?? null));
  return handler ?? undefined;
}

const HANDLERS = Symbol("handlerOf");

function findHandler(fn: HandlerFunction): RouteHandler | undefined {
  if (!fn.body) return undefined;
  let route: RouteInfo | undefined;
  // Inline in a registration, possibly through a one-argument wrapper (`asyncHandler(async (req, res) => …)`).
  let argument: ts.Node = fn;
  let parent = fn.parent;
  if (
    parent &&
    ts.isCallExpression(parent) &&
    parent.arguments.length === 1 &&
    parent.arguments[0] === fn &&
    ts.isIdentifier(parent.expression) &&
    parent.parent &&
    ts.isCallExpression(parent.parent)
  ) {
    argument = parent;
    parent = parent.parent;
  }
  const call = parent && ts.isCallExpression(parent) && parent.expression !== argument ? parent : undefined;
  if (call) route = routeOfCall(call, argument);
  // `{ handler: async (req, reply) => … }` / `{ async handler(req, reply) {…} }`
  const holder = ts.isMethodDeclaration(fn) ? fn.parent : fn.parent && ts.isPropertyAssignment(fn.parent) ? fn.parent.parent : undefined;
  if (!route && holder && ts.isObjectLiteralExpression(holder)) {
    const key = ts.isMethodDeclaration(fn) ? propertyNameText(fn.name) : ts.isPropertyAssignment(fn.parent) ? propertyNameText(fn.parent.name) : undefined;
    if (key === "handler") route = routeOfOptions(holder);
  }
  if (route && route.method === "use" && route.path === undefined) return undefined;
  const nest = ts.isMethodDeclaration(fn) ? nestRouteOf(fn) : undefined;
  if (!route && !nest && !(mayBeFreeHandler(fn) && isRequestHandler(fn) && looksLikeFreeHandler(fn))) return undefined;

  const siblings: ts.Expression[] = [];
  for (const other of call?.arguments ?? []) {
    const value = unwrap(other);
    if (other === argument) continue;
    if (ts.isArrayLiteralExpression(value)) siblings.push(...value.elements.filter((element) => !ts.isSpreadElement(element)));
    else siblings.push(value);
  }

  const requestNames = new Set<string>();
  const requestParts = new Map<string, string>();
  const nestParams = nest ? nestParamsOf(fn) : [];
  if (nest) {
    for (const param of nestParams) if (param.decorator === "Req" || param.decorator === "Request") requestNames.add(param.name);
  } else {
    const first = fn.parameters[0];
    if (first && ts.isIdentifier(first.name)) requestNames.add(first.name.text);
    else if (first && ts.isObjectBindingPattern(first.name)) {
      for (const element of first.name.elements) {
        if (!ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
        const key = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
        if (key) requestParts.set(element.name.text, key);
      }
    }
  }
  const { name, nameNode } = nameOf(fn);
  return { fn, body: fn.body, requestNames, requestParts, nestParams, nest, route, siblings, name, nameNode };
}

export interface NamedRegistration {
  /** Last segment of the handler reference: `create` for `usersController.create`. */
  name: string;
  route: RouteInfo;
}

/** `router.post("/users", validate(schema), usersController.create)`: a handler registered by name. */
export function namedRegistrationOf(call: ts.CallExpression): NamedRegistration | undefined {
  const last = call.arguments[call.arguments.length - 1];
  if (!last || call.arguments.length < 2) return undefined;
  // Cheap reject for the many calls that are no route registration (`routeOfCall` below decides).
  const method = calleeName(call);
  if (!method || !ROUTE_METHODS.has(method)) return undefined;
  let reference = unwrap(last);
  // `asyncHandler(createUser)`, `controller.create.bind(controller)`
  if (ts.isCallExpression(reference)) {
    if (calleeName(reference) === "bind" && ts.isPropertyAccessExpression(unwrap(reference.expression))) {
      reference = unwrap((unwrap(reference.expression) as ts.PropertyAccessExpression).expression);
    } else if (reference.arguments.length === 1 && ts.isIdentifier(reference.expression)) {
      reference = unwrap(reference.arguments[0]);
    }
  }
  let name: string | undefined;
  if (ts.isIdentifier(reference)) name = reference.text;
  else if (ts.isPropertyAccessExpression(reference)) name = reference.name.text;
  if (!name) return undefined;
  const route = routeOfCall(call, last);
  if (!route || route.path === undefined) return undefined;
  return { name, route };
}

const NO_REGISTRATIONS: readonly NamedRegistration[] = [];

/** A file's registrations by handler name. */
export class RegistrationIndex {
  private readonly byName = new Map<string, NamedRegistration[]>();

  constructor(registrations: readonly NamedRegistration[]) {
    for (const registration of registrations) {
      const list = this.byName.get(registration.name);
      if (list) list.push(registration);
      else this.byName.set(registration.name, [registration]);
    }
  }

  /** The registrations naming `name`, in order. */
  named(name: string | undefined): readonly NamedRegistration[] {
    return (name && this.byName.get(name)) || NO_REGISTRATIONS;
  }
}

export type RequestOrigin = "body" | "query" | "params";

const PART_ORIGINS: Record<string, RequestOrigin> = { body: "body", payload: "body", query: "query", querystring: "query", params: "params" };

/** The origin of a request property name (`body`, `payload` → body; `query` → query; `params`). */
export function originOfPart(part: string): RequestOrigin | undefined {
  return Object.prototype.hasOwnProperty.call(PART_ORIGINS, part) ? PART_ORIGINS[part] : undefined;
}

function isRequestName(expression: ts.Expression, handler: RouteHandler): boolean {
  const value = unwrap(expression);
  return ts.isIdentifier(value) && handler.requestNames.has(value.text);
}

/**
 * The request part an expression reads whole: `req.body`, `request.query`, `ctx.request.body`,
 * `ctx.query`, `req.params`, Hapi `request.payload`, `await req.json()`.
 */
export function requestPartOf(expression: ts.Expression, handler: RouteHandler): RequestOrigin | undefined {
  let value = unwrap(expression);
  if (ts.isAwaitExpression(value)) {
    const inner = unwrap(value.expression);
    if (ts.isCallExpression(inner) && calleeName(inner) === "json" && inner.arguments.length === 0) {
      const callee = unwrap(inner.expression);
      if (ts.isPropertyAccessExpression(callee) && isRequestName(callee.expression, handler)) return "body";
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(value)) return undefined;
  const origin = originOfPart(value.name.text);
  if (!origin) return undefined;
  const object = unwrap(value.expression);
  if (isRequestName(object, handler)) return origin;
  // Koa: `ctx.request.body`, `ctx.request.query`
  if (ts.isPropertyAccessExpression(object) && object.name.text === "request" && isRequestName(object.expression, handler)) return origin;
  return undefined;
}

/** The HTTP method a handler answers, lower-case, when known: `post`, `get`, `all`, `use`. */
export function httpMethodOf(handler: RouteHandler): string | undefined {
  if (handler.nest) return handler.nest.verb.toLowerCase();
  const route = handler.route;
  if (!route) return undefined;
  if (route.method === "route" && route.options) {
    const property = getProperty(route.options, "method");
    const value = property && ts.isPropertyAssignment(property) ? staticString(property.initializer) : undefined;
    return value?.toLowerCase();
  }
  return route.method;
}

/**
 * Nodes a rule notes during the engine's walk, in walk order, so that it can go over the nodes inside a
 * function later without walking it again. The walk is pre-order in source order, so the noted nodes
 * are sorted by `pos` and those inside a node are the ones starting within its range.
 */
export class NodeLog<T extends ts.Node = ts.Node> {
  readonly nodes: T[] = [];

  add(node: T): void {
    this.nodes.push(node);
  }

  /** The index of the first noted node starting at or after `pos`. */
  firstFrom(pos: number): number {
    let low = 0;
    let high = this.nodes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.nodes[middle].pos < pos) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Whether a noted node starts in `[start, end)`. */
  anyIn(start: number, end: number): boolean {
    const index = this.firstFrom(start);
    return index < this.nodes.length && this.nodes[index].pos < end;
  }
}

/** The function a function-valued initializer holds: `(x) => …`, `function (x) {…}`. */
function functionValue(initializer: ts.Expression): HandlerFunction | undefined {
  const value = unwrap(initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
}

/**
 * The functions of a file that calls can name: top-level functions (`helper(x)`) and class members
 * (`this.helper(x)`), indexed by name once per file (and class) since handlers call helpers all the time.
 * Keep one per file, in the rule's `create`: it holds nodes of that file.
 */
export class LocalFunctions {
  private topLevel: Map<string, HandlerFunction> | undefined;
  private readonly members = new Map<ts.ClassLikeDeclaration, Map<string, HandlerFunction>>();

  constructor(private readonly sourceFile: ts.SourceFile) {}

  /** The same-file function a call invokes (`helper(x)`, `this.helper(x)`). */
  calledBy(call: ts.CallExpression): HandlerFunction | undefined {
    const callee = unwrap(call.expression);
    if (ts.isIdentifier(callee)) return this.topLevelIndex().get(callee.text);
    if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
      for (let current: ts.Node | undefined = call.parent; current; current = current.parent) {
        if (ts.isClassLike(current)) return this.memberIndex(current).get(callee.name.text);
      }
    }
    return undefined;
  }

  private topLevelIndex(): Map<string, HandlerFunction> {
    if (this.topLevel) return this.topLevel;
    const index = new Map<string, HandlerFunction>();
    // The first declaration of a name wins.
    for (const statement of this.sourceFile.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
        if (!index.has(statement.name.text)) index.set(statement.name.text, statement);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name) || !declaration.initializer || index.has(declaration.name.text)) continue;
          const fn = functionValue(declaration.initializer);
          if (fn) index.set(declaration.name.text, fn);
        }
      }
    }
    return (this.topLevel = index);
  }

  private memberIndex(owner: ts.ClassLikeDeclaration): Map<string, HandlerFunction> {
    let index = this.members.get(owner);
    if (index) return index;
    index = new Map();
    // The first member of a name wins.
    for (const member of owner.members) {
      const name = ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member) ? propertyNameText(member.name) : undefined;
      if (name === undefined || index.has(name)) continue;
      if (ts.isMethodDeclaration(member) && member.body) index.set(name, member);
      else if (ts.isPropertyDeclaration(member) && member.initializer) {
        const fn = functionValue(member.initializer);
        if (fn) index.set(name, fn);
      }
    }
    this.members.set(owner, index);
    return index;
  }
}

/** A short, one-line rendering of a node's source text for messages. */
export function snippet(node: ts.Node, sourceFile: ts.SourceFile, max = 48): string {
  const text = node.getText(sourceFile).replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
